"""Migration 0005 splits each existing case's single RAS result into KRAS and NRAS so the derived value the
engine reads is unchanged, and leaves per-marker methods blank (never recorded per marker)."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from her2app.cases.models import derive_ras

BEFORE = [("cases", "0004_case_sent_engine_result_and_benzyl_alcohol_flag")]
AFTER = [("cases", "0005_histology_kras_nras_marker_tests")]


@pytest.fixture
def back_to_the_latest_migrations(transactional_db):
    """Going back to cases 0004 also unapplies later migrations that depend on cases 0005 (meetings 0003);
    put every app back on its latest migration so the tests that run after this one see the real schema."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_existing_ras_results_keep_their_meaning(back_to_the_latest_migrations):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    user = old.get_model("auth", "User").objects.create(username="migrator")
    patient = old.get_model("cases", "Patient").objects.create(
        mrn="MIG-1", given_name="A", family_name="B", date_of_birth=date(1960, 1, 1), sex="female")
    for ras in ("wild_type", "mutant", "unknown"):
        case = old.get_model("cases", "Case").objects.create(patient=patient, created_by_id=user.pk,
                                                             updated_by_id=user.pk)
        old.get_model("cases", "MolecularProfile").objects.create(case=case, ras=ras, test_method="ngs",
                                                                  test_date=date(2026, 1, 1))
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    rows = new.get_model("cases", "MolecularProfile").objects.order_by("pk").values(
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
