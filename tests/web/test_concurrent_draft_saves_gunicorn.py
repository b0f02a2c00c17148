"""Concurrent saves of one draft plan through gunicorn with several worker
processes: never a server error (SQLite in WAL mode with a busy timeout and
IMMEDIATE transactions; PostgreSQL when DATABASE_URL names it), and exactly
one save wins while the others are told about the conflict. The tests share one
scratch database and one server (its start costs more than their requests)."""

import re
import threading
import urllib.parse

import pytest

from tests.bench.common import HttpSession, gunicorn_server
from tests.web.process_helpers import environment, scratch_database, seed

pytestmark = pytest.mark.django_db  # scratch databases are copies of the test database
SAVES = 20
APPROVALS = 8
WORKERS = 2


@pytest.fixture(scope="module")
def server(django_db_setup, tmp_path_factory):
    """(environment, base URL) of gunicorn with WORKERS worker processes on a scratch database."""
    folder = tmp_path_factory.mktemp("gunicorn")
    with scratch_database(folder) as url:
        env = environment(url, folder / "media")
        with gunicorn_server(env, workers=WORKERS) as base_url:
            yield env, base_url


def test_twenty_concurrent_saves_on_two_worker_processes_give_no_server_error(server):
    env, base_url = server
    draft = seed(env, "seed-draft-plan")
    session = HttpSession(base_url)
    session.login("/accounts/login/", draft["username"], draft["password"])
    edit = f"/plans/{draft['plan']}/edit/"
    status, page = session.get(edit)
    assert status == 200
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    statuses = post_at_once(session, [(edit, saved_form(token, draft, index)) for index in range(SAVES)], base_url)
    assert not [status for status in statuses if status >= 500], statuses
    assert sorted(statuses) == [302] + [409] * (SAVES - 1), statuses


def test_concurrent_approvals_that_read_before_they_write_give_no_server_error(server):
    """Approving reads the plan and the case, then writes: on SQLite, two such transactions
    started as readers could not both become writers ("database is locked", HTTP 500)."""
    env, base_url = server
    drafts = seed(env, "seed-drafts", str(APPROVALS))
    session = HttpSession(base_url, timeout=120)
    session.login("/accounts/login/", drafts["username"], drafts["password"])
    status, page = session.get(f"/plans/{drafts['plans'][0]}/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    statuses = post_at_once(session, [
        (f"/plans/{plan}/approve/", {"csrfmiddlewaretoken": token, "password": drafts["password"]})
        for plan in drafts["plans"]
    ], base_url)
    assert statuses == [302] * APPROVALS, statuses


def post_at_once(session: HttpSession, requests: list[tuple[str, dict]], base_url: str) -> list[int]:
    start = threading.Barrier(len(requests))
    statuses: list[int] = [0] * len(requests)

    def post(index: int) -> None:
        path, data = requests[index]
        body = urllib.parse.urlencode(data).encode()
        start.wait()
        statuses[index], _, _ = session.request("POST", path, body=body, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Referer": f"{base_url}{path}"})

    threads = [threading.Thread(target=post, args=(index,)) for index in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    return statuses


def saved_form(token: str, draft: dict, index: int) -> dict:
    data = {"csrfmiddlewaretoken": token, "start_date": draft["start_date"], "edit_version": str(draft["edit_version"]),
            "clinician_notes": f"note from editor {index}"}
    for dose in draft["doses"]:
        data[f"dose-{dose['pk']}-final_mg"] = dose["final_mg"]
        data[f"dose-{dose['pk']}-adjustment_reason"] = ""
    return data
