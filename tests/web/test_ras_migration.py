"""Migration 0005 splits each existing case's single RAS result into KRAS and NRAS so the derived value the
engine reads is unchanged, and leaves per-marker methods blank (never recorded per marker).

The migrations run on an empty database of their own, forwards only: taking the test database back to
cases 0004 and forward again cost more than the rest of the module. A new database gets the squashed cases
migration, which replaces 0001-0007: the executor here reads the replaced migrations one by one instead."""

import contextlib
import os
from datetime import date

import pytest
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from her2app.cases.models import derive_ras
from tests.web.process_helpers import postgres_database

BEFORE = [("cases", "0004_case_sent_engine_result_and_benzyl_alcohol_flag")]
AFTER = [("cases", "0005_histology_kras_nras_marker_tests")]
ALIAS = "ras_migration"


@pytest.fixture
def empty_database(django_db_blocker, tmp_path):
    """A connection (alias ALIAS) to a new, empty database of the suite's kind: a SQLite file or a
    PostgreSQL database, dropped afterwards."""
    default = connections.settings["default"]
    with contextlib.ExitStack() as stack:
        name = (str(tmp_path / "ras.sqlite3") if default["ENGINE"].endswith("sqlite3")
                else stack.enter_context(postgres_database(os.environ["DATABASE_URL"].rsplit("/", 1)[0])))
        connections.settings[ALIAS] = {**default, "NAME": name}
        try:
            with django_db_blocker.unblock():
                yield connections[ALIAS]
                connections[ALIAS].close()
        finally:
            del connections[ALIAS]
            del connections.settings[ALIAS]


def original_migrations(connection) -> MigrationExecutor:
    """An executor on the migrations as they were written (a squashed migration does not stand in for them)."""
    executor = MigrationExecutor(connection)
    executor.loader = MigrationLoader(connection, replace_migrations=False)
    return executor


def test_existing_ras_results_keep_their_meaning(empty_database):
    executor = original_migrations(empty_database)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    user = old.get_model("auth", "User").objects.using(ALIAS).create(username="migrator")
    patient = old.get_model("cases", "Patient").objects.using(ALIAS).create(
        mrn="MIG-1", given_name="A", family_name="B", date_of_birth=date(1960, 1, 1), sex="female")
    for ras in ("wild_type", "mutant", "unknown"):
        case = old.get_model("cases", "Case").objects.using(ALIAS).create(patient=patient, created_by_id=user.pk,
                                                                          updated_by_id=user.pk)
        old.get_model("cases", "MolecularProfile").objects.using(ALIAS).create(
            case=case, ras=ras, test_method="ngs", test_date=date(2026, 1, 1))
    executor = original_migrations(empty_database)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    rows = new.get_model("cases", "MolecularProfile").objects.using(ALIAS).order_by("pk").values(
        "ras", "kras", "kras_exons", "nras", "nras_exons", "ras_method", "ras_test_date")
    assert list(rows) == [
        {"ras": "wild_type", "kras": "wild_type", "kras_exons": [2, 3, 4], "nras": "wild_type",
         "nras_exons": [2, 3, 4], "ras_method": "", "ras_test_date": None},
        {"ras": "mutant", "kras": "mutant", "kras_exons": [], "nras": "unknown", "nras_exons": [],
         "ras_method": "", "ras_test_date": None},
        {"ras": "unknown", "kras": "unknown", "kras_exons": [], "nras": "unknown", "nras_exons": [],
         "ras_method": "", "ras_test_date": None},
    ]
    assert [derive_ras(r["kras"], r["kras_exons"], r["nras"], r["nras_exons"]) for r in rows] == [
        "wild_type", "mutant", "unknown"]
