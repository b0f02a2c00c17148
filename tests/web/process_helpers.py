"""Real processes on a scratch database: a copy of the migrated test database (a
SQLite file, or a PostgreSQL database when DATABASE_URL is PostgreSQL), shared by the test,
manage.py subprocesses, PDF workers and gunicorn.

Also runnable, in a subprocess with DATABASE_URL set:

    python -m tests.web.process_helpers seed-approved-plan   # prints {"plan": id, "job": id}
    python -m tests.web.process_helpers seed-draft-plan      # prints {"plan": id, "edit_version": n, ...}
    python -m tests.web.process_helpers seed-drafts N        # prints {"plans": [id, ...], ...}
    python -m tests.web.process_helpers slow-worker SECONDS  # a PDF worker whose renders take SECONDS longer
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "process-test-password-2026"


_template: str | None = None  # the database URL scratch databases are copied from (keep_as_template)


def keep_as_template(connection) -> None:
    """Copy the test database, just migrated and not yet written to by any test, as the template of this
    process's scratch databases: a migrate of their own would cost about 10 s of CPU per test process.
    A SQLite file copied with SQLite's backup API, or a PostgreSQL database created from it."""
    global _template
    if connection.vendor == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="her2-scratch-template-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        connection.ensure_connection()
        with contextlib.closing(sqlite3.connect(folder / "template.sqlite3")) as copy:
            connection.connection.backup(copy)
        _template = f"sqlite:///{folder / 'template.sqlite3'}"
        return
    server = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    name = f"her2_scratch_template_{uuid.uuid4().hex[:10]}"
    connection.close()  # PostgreSQL copies a database nobody is connected to
    postgres(server, f'CREATE DATABASE "{name}" TEMPLATE "{connection.settings_dict["NAME"]}"')
    atexit.register(postgres, server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _template = f"{server}/{name}"


@contextlib.contextmanager
def scratch_database(tmp_path: Path) -> Iterator[str]:
    """A migrated, empty database URL of the kind the suite runs on; dropped afterwards.

    Each one is a copy of the template keep_as_template made (a test using one is marked django_db, so that
    the test database exists): a copied SQLite file, or a PostgreSQL database created from the template."""
    if _template is None:
        raise RuntimeError("no template: a test using scratch_database needs the django_db mark")
    if _template.startswith("sqlite"):
        path = tmp_path / "scratch.sqlite3"
        shutil.copyfile(_template.removeprefix("sqlite:///"), path)
        yield f"sqlite:///{path}"
        return
    server, template_name = _template.rsplit("/", 1)
    with postgres_database(server, template=template_name) as name:
        yield f"{server}/{name}"


@contextlib.contextmanager
def postgres_database(server: str, template: str | None = None) -> Iterator[str]:
    """A new database on the PostgreSQL `server` (a copy of `template`, else empty); yields its name; dropped
    afterwards."""
    name = f"her2_scratch_{uuid.uuid4().hex[:10]}"
    postgres(server, f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    try:
        yield name
    finally:
        postgres(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def postgres(server: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(sql)


def environment(database_url: str, media_root: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in ("PRODUCTION", "DJANGO_SETTINGS_MODULE")}
    env.update(DATABASE_URL=database_url, MEDIA_ROOT=str(media_root), DEBUG="0", LOG_LEVEL="WARNING",
               TASKS_BACKEND="database", PYTHONPATH=str(ROOT), DJANGO_SETTINGS_MODULE="her2app.settings", **extra)
    return env


def run(env: dict[str, str], *args: str, timeout: float = 300) -> str:
    """`python args` in the checkout; raise with the end of its stderr on failure; return its output."""
    done = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def seed(env: dict[str, str], what: str, *args: str) -> dict:
    return json.loads(run(env, "-m", "tests.web.process_helpers", what, *args).strip().splitlines()[-1])


def start(env: dict[str, str], *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, *args], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def query(database_url: str, sql: str, *params) -> list[tuple]:
    """Read (or change) the scratch database directly (the test process has no Django connection to it)."""
    if database_url.startswith("sqlite"):
        with contextlib.closing(sqlite3.connect(database_url.removeprefix("sqlite:///"), timeout=30)) as db:
            rows = db.execute(sql.replace("%s", "?"), params).fetchall()  # [] for a change
            db.commit()
            return rows
    import psycopg

    with psycopg.connect(database_url) as db:
        cursor = db.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def wait_for(check, seconds: float, what: str, interval: float = 0.1):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"{what} did not happen within {seconds:.0f} s")


# --- run inside the subprocess --------------------------------------------------------
def _oncologist(password: str | None = PASSWORD):
    """The oncologist who signs the seeded plans. password None: nobody signs in as them, so no password is
    hashed (PBKDF2, the production hasher these processes use, costs about 0.5 s of CPU)."""
    from django.contrib.auth.models import Group, User

    from her2app.accounts import roles

    roles.ensure_roles()
    user, created = User.objects.get_or_create(username="process-oncologist", defaults={"first_name": "Olga"})
    if created:
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=roles.ONCOLOGIST))
    return user


def _draft(password: str | None = PASSWORD):
    from tests.factories import plannable_case
    from tests.web.plan_helpers import draft_plan

    oncologist = _oncologist(password)
    case = plannable_case(oncologist, mrn=f"MRN-P{uuid.uuid4().hex[:6]}", weight_kg="63")
    return draft_plan(case, oncologist), oncologist


def seed_approved_plan() -> dict:
    from django.db import transaction

    from her2app.plans import actions
    from her2app.rendering.models import RenderJob

    plan, oncologist = _draft(password=None)  # a worker renders its PDF; nobody signs in
    with transaction.atomic():
        plan, _ = actions.approve_plan(plan, oncologist)
    return {"plan": plan.pk, "job": RenderJob.objects.get(kind="plan", object_id=plan.pk).pk}


def seed_draft_plan() -> dict:
    plan, oncologist = _draft()
    return {"plan": plan.pk, "edit_version": plan.edit_version, "username": oncologist.username,
            "password": PASSWORD, "doses": list(plan.doses.values("pk", "final_mg", "drug", "phase")),
            "start_date": plan.start_date.isoformat()}


def seed_drafts(count: int) -> dict:
    """`count` cases, each with a draft plan (for concurrent approvals)."""
    plans = [_draft()[0].pk for _ in range(count)]
    return {"plans": plans, "username": _oncologist().username, "password": PASSWORD}


def slow_worker(seconds: float) -> None:
    """A worker whose plan renders take `seconds` longer: time to kill it in the middle of one."""
    from django.core.management import call_command

    from her2app.plans import documents

    render = documents.render_plan_pdf

    def slow_render(plan, printed_at=None, schedule=None):
        time.sleep(seconds)
        return render(plan, printed_at, schedule)

    documents.render_plan_pdf = slow_render
    call_command("run_worker", interval=0.2)


def main(argv: list[str]) -> None:
    import django

    django.setup()
    command = argv[0]
    if command == "slow-worker":
        slow_worker(float(argv[1]))
        return
    if command == "seed-drafts":
        print(json.dumps(seed_drafts(int(argv[1]))))
        return
    result = {"seed-approved-plan": seed_approved_plan, "seed-draft-plan": seed_draft_plan}[command]()
    print(json.dumps(result, default=str))


if __name__ == "__main__":
    main(sys.argv[1:])
