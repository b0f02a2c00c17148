"""Backup and restore round trip: rows and PDFs into an empty database, nothing lost."""

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command

from her2app.backup.operations import NOT_BACKED_UP, BackupError, restore_backup
from her2app.plans.models import PlanState
from tests.web.security_fixtures import PATIENT_MRN, audited_case, make_document, make_plan

ROOT = Path(django_settings.BASE_DIR)
WHOLE_SECOND_TIMESTAMP = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\.000Z$")


@pytest.fixture
def planner_data(coordinator, oncologist):
    case = audited_case(coordinator)
    approved = make_plan(case, oncologist, version=1, state=PlanState.APPROVED)
    first = make_document(approved, oncologist)
    second = make_document(approved, oncologist, content=b"%PDF-1.4\n% second render\n%%EOF\n")
    make_plan(case, oncologist, version=2)  # a draft beside it
    return {"case": case, "documents": [first, second]}


def manage_on(database: Path, media_root: Path, *args: str) -> subprocess.CompletedProcess:
    """manage.py against another, separate database and media folder."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "MEDIA_ROOT")}
    env.update(DATABASE_URL=f"sqlite:///{database}", MEDIA_ROOT=str(media_root))
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def canonical_value(value):
    """Many-to-many lists sorted (their order is not data). A timestamp Django wrote as
    "...:53.000Z" (it keeps milliseconds) is read back as a whole second and written "...:53Z":
    the same instant, so both are written one way."""
    if isinstance(value, list) and value and isinstance(value[0], list):
        return sorted(value)
    if isinstance(value, str):
        return WHOLE_SECOND_TIMESTAMP.sub(r"\1Z", value)
    return value


def canonical(rows: list[dict]) -> list[str]:
    """Rows as sorted JSON strings, values as canonical_value writes them."""
    result = []
    for row in rows:
        fields = {name: canonical_value(value) for name, value in row["fields"].items()}
        result.append(json.dumps({**row, "fields": fields}, sort_keys=True))
    return sorted(result)


def test_round_trip_into_an_empty_database_loses_nothing(planner_data, tmp_path):
    backup = tmp_path / "backup"
    call_command("backup_planner", str(backup))
    manifest = json.loads((backup / "manifest.json").read_text())
    assert len(manifest["files"]) == 2

    restored_db, restored_media = tmp_path / "restored.sqlite3", tmp_path / "restored-media"
    result = manage_on(restored_db, restored_media, "restore_planner", str(backup))
    assert result.returncode == 0, result.stderr
    assert "all SHA-256 checksums match" in result.stdout

    excluded = [arg for label in NOT_BACKED_UP for arg in ("-e", label)]
    dumped = manage_on(restored_db, restored_media, "dumpdata", "--natural-foreign", "--natural-primary", *excluded)
    assert dumped.returncode == 0, dumped.stderr
    original_rows, restored_rows = json.loads((backup / "data.json").read_text()), json.loads(dumped.stdout)
    assert canonical(restored_rows) == canonical(original_rows), "every row comes back unchanged"
    models_present = {row["model"] for row in original_rows}
    assert {"cases.patient", "cases.case", "cases.historicalcase", "plans.treatmentplan", "plans.plandocument",
            "plans.historicaltreatmentplan", "plans.plandose", "auth.user"} <= models_present
    assert PATIENT_MRN in (backup / "data.json").read_text()

    for document in planner_data["documents"]:
        restored = (restored_media / document.file.name).read_bytes()
        assert restored == document.read_bytes(), f"{document.file.name} comes back byte for byte"
    restored_documents = [row["fields"] for row in restored_rows if row["model"] == "plans.plandocument"]
    assert sorted((document["version"], sha256_of(restored_media / document["file"]) == document["sha256"])
                  for document in restored_documents) == [(1, True), (2, True)], "restored PDFs pass their SHA-256"


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_damaged_backup_is_refused_before_anything_is_restored(planner_data, tmp_path):
    backup = tmp_path / "backup"
    call_command("backup_planner", str(backup))
    pdf = next((backup / "files").rglob("*.pdf"))
    pdf.write_bytes(pdf.read_bytes() + b"tampered")

    with pytest.raises(CommandError, match="does not match its SHA-256"):
        call_command("restore_planner", str(backup), verify_only=True)
    result = manage_on(tmp_path / "fresh.sqlite3", tmp_path / "fresh-media", "restore_planner", str(backup))
    assert result.returncode != 0 and "the backup is damaged" in result.stderr
    assert not (tmp_path / "fresh-media").exists(), "no file was written"


def test_restore_refuses_a_database_that_already_holds_data(planner_data, tmp_path):
    backup = tmp_path / "backup"
    call_command("backup_planner", str(backup))
    with pytest.raises(BackupError, match="already holds data"):
        restore_backup(backup)


def test_backup_refuses_to_overwrite_a_folder(planner_data, tmp_path):
    backup = tmp_path / "backup"
    backup.mkdir()
    (backup / "keep.txt").write_text("someone's notes")
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup_planner", str(backup))
    assert (backup / "keep.txt").read_text() == "someone's notes"


def test_backup_fails_loudly_when_a_pdf_is_missing(planner_data, tmp_path):
    os.remove(planner_data["documents"][0].file.path)
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("backup_planner", str(tmp_path / "backup"))
