"""PDFs survive crashes: a worker killed (kill -9) in the middle of a render,
or no worker at all when a plan is signed, still ends with the plan's PDF once
a worker runs again. Real worker processes on the database backend, on a
scratch database of the kind the suite runs on (SQLite file or PostgreSQL)."""

import hashlib
import os
import signal

import pytest

from tests.web.process_helpers import environment, query, scratch_database, seed, start, stop, wait_for

pytestmark = pytest.mark.django_db  # scratch databases are copies of the test database
# Short leases and sweeps so a lost render is taken over within seconds, not minutes.
FAST = {"PDF_RENDER_LEASE_SECONDS": "3", "PDF_SWEEP_SECONDS": "1", "PDF_RETRY_SECONDS": "1"}


@pytest.fixture
def scratch(django_db_setup, tmp_path):
    media = tmp_path / "media"
    with scratch_database(tmp_path) as url:
        yield url, environment(url, media, **FAST), media


def job_status(url: str, job: int) -> str:
    return query(url, "SELECT status FROM rendering_renderjob WHERE id = %s", job)[0][0]


def stored_documents(url: str, plan: int) -> list[tuple]:
    return query(url, "SELECT file, sha256, plan_state FROM plans_plandocument WHERE plan_id = %s", plan)


def test_worker_killed_during_rendering_the_pdf_appears_after_restart(scratch):
    url, env, media = scratch
    seeded = seed(env, "seed-approved-plan")
    assert job_status(url, seeded["job"]) == "queued", "approval committed with its PDF request, nothing rendered"

    slow = start(env, "-m", "tests.web.process_helpers", "slow-worker", "60")
    try:
        wait_for(lambda: job_status(url, seeded["job"]) == "running", 60, "the worker starting the render")
        os.kill(slow.pid, signal.SIGKILL)
        slow.wait(timeout=10)
    finally:
        stop(slow)
    assert job_status(url, seeded["job"]) == "running", "the killed worker left its claim behind"
    assert stored_documents(url, seeded["plan"]) == []

    worker = start(env, "manage.py", "run_worker", "--interval", "0.2")
    try:
        documents = wait_for(lambda: stored_documents(url, seeded["plan"]), 90, "the PDF after the restart")
    finally:
        stop(worker)
    [(name, sha256, state)] = documents
    assert state == "approved"
    content = (media / name).read_bytes()
    assert content.startswith(b"%PDF") and hashlib.sha256(content).hexdigest() == sha256
    assert query(url, "SELECT status, attempts FROM rendering_renderjob WHERE id = %s", seeded["job"]) == [
        ("done", 2)
    ], "the second worker took the lost render over"


def test_plan_signed_while_no_worker_ran_and_its_task_lost_gets_its_pdf_when_a_worker_starts(scratch):
    url, env, media = scratch
    seeded = seed(env, "seed-approved-plan")
    query(url, "DELETE FROM django_tasks_database_dbtaskresult")  # as if the enqueue after the commit was lost

    worker = start(env, "manage.py", "run_worker", "--interval", "0.2")
    try:
        documents = wait_for(lambda: stored_documents(url, seeded["plan"]), 90, "the PDF")
    finally:
        stop(worker)
    assert [state for _, _, state in documents] == ["approved"]
