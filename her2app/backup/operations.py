"""Backup and restore of the planner: every database row plus every stored file.

A backup folder holds:
  data.json      all rows (dumpdata with natural keys, so it loads into any
                 freshly migrated database, SQLite or PostgreSQL)
  files/<name>   each file a FileField refers to (the plan PDFs), read through
                 Django storage, so S3-compatible storage is backed up too
  manifest.json  the SHA-256 and size of data.json and of every file

Restore checks the manifest before touching anything, loads the rows into
an empty database, writes the files back under their original names and
then re-reads every file to check its SHA-256, including the checksum each
PlanDocument recorded when it was rendered.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, models, transaction

FORMAT = 1
DATA = "data.json"
MANIFEST = "manifest.json"
FILES = "files"
# Rebuilt by migrate (content types, permissions) or not worth keeping (sessions, lockout counters,
# the task queue: each PDF job's RenderJob row is backed up and a worker re-enqueues it).
NOT_BACKED_UP = ["contenttypes", "auth.permission", "sessions", "axes.accessattempt", "django_tasks_database"]
# Rows that mean the target database is not empty.
PLANNER_DATA = ["auth.user", "cases.patient", "cases.case", "plans.treatmentplan"]


class BackupError(Exception):
    """The backup cannot be made or restored; the message says why."""


@dataclass(frozen=True)
class RestoreSummary:
    rows: int
    files: int


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def stored_file_names() -> list[str]:
    """Every non-empty FileField value in the database, sorted."""
    names: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                names |= set(model._default_manager.exclude(**{field.name: ""}).values_list(field.name, flat=True))
    return sorted(name for name in names if name)


def make_backup(folder: Path) -> dict:
    """Write a backup of the whole planner into `folder` (new or empty); return the manifest."""
    folder.mkdir(parents=True, exist_ok=True)
    if any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty; back up into a new folder so nothing is overwritten")
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            # One consistent snapshot of every table and file name while others keep working.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        data_path = folder / DATA
        call_command(
            "dumpdata", natural_foreign=True, natural_primary=True, exclude=NOT_BACKED_UP, use_base_manager=True,
            indent=1, output=str(data_path), verbosity=0,
        )
        files = [_copy_out(name, folder) for name in stored_file_names()]
    rows = json.loads(data_path.read_text())
    manifest = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(),
        "database_vendor": connection.vendor,
        "data": {"name": DATA, "sha256": sha256_of(data_path.read_bytes()), "rows": len(rows)},
        "files": files,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1))
    return manifest


def _copy_out(name: str, folder: Path) -> dict:
    try:
        with default_storage.open(name, "rb") as handle:
            content = handle.read()
    except (FileNotFoundError, OSError) as error:
        raise BackupError(f"stored file {name} cannot be read: {error}") from error
    target = folder / FILES / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    return {"name": name, "sha256": sha256_of(content), "size": len(content)}


def verify_backup(folder: Path) -> dict:
    """Check every byte of a backup folder against its manifest; return the manifest."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (FileNotFoundError, json.JSONDecodeError) as error:
        raise BackupError(f"{folder} has no readable {MANIFEST}: {error}") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    _check_hash(folder / DATA, manifest["data"]["sha256"])
    for entry in manifest["files"]:
        _check_hash(_inside(folder / FILES, entry["name"]), entry["sha256"])
    return manifest


def _inside(root: Path, name: str) -> Path:
    path = (root / name).resolve()
    if root.resolve() not in path.parents:
        raise BackupError(f"file name {name!r} points outside the backup")
    return path


def _check_hash(path: Path, expected: str) -> None:
    if not path.is_file():
        raise BackupError(f"{path} is missing from the backup")
    if sha256_of(path.read_bytes()) != expected:
        raise BackupError(f"{path} does not match its SHA-256 in the manifest: the backup is damaged")


def restore_backup(folder: Path) -> RestoreSummary:
    """Load a verified backup into an empty, migrated database and its storage."""
    manifest = verify_backup(folder)
    _require_empty_database()
    for entry in manifest["files"]:
        _require_free_or_identical(entry)
    with transaction.atomic():
        call_command("loaddata", str(folder / DATA), verbosity=0)
        for entry in manifest["files"]:
            _copy_in(folder, entry)
        _check_restored_files(manifest)
    return RestoreSummary(rows=manifest["data"]["rows"], files=len(manifest["files"]))


def _require_empty_database() -> None:
    present = [label for label in PLANNER_DATA if apps.get_model(label)._default_manager.exists()]
    if present:
        raise BackupError(
            f"the database already holds data ({', '.join(present)}); restore only into an empty, migrated database"
        )


def _require_free_or_identical(entry: dict) -> None:
    if not default_storage.exists(entry["name"]):
        return
    with default_storage.open(entry["name"], "rb") as handle:
        if sha256_of(handle.read()) != entry["sha256"]:
            raise BackupError(f"storage already holds a different {entry['name']}; refusing to overwrite it")


def _copy_in(folder: Path, entry: dict) -> None:
    if default_storage.exists(entry["name"]):
        return  # identical bytes, checked before loading
    content = _inside(folder / FILES, entry["name"]).read_bytes()
    saved_as = default_storage.save(entry["name"], ContentFile(content))
    if saved_as != entry["name"]:
        raise BackupError(f"storage saved {entry['name']} as {saved_as}")


def _check_restored_files(manifest: dict) -> None:
    for entry in manifest["files"]:
        with default_storage.open(entry["name"], "rb") as handle:
            if sha256_of(handle.read()) != entry["sha256"]:
                raise BackupError(f"restored {entry['name']} does not match its SHA-256")
    document_model = apps.get_model("plans", "PlanDocument")
    damaged = [str(document) for document in document_model.objects.all() if not document.verify_checksum()]
    if damaged:
        raise BackupError(f"restored documents fail their recorded SHA-256: {', '.join(damaged)}")
