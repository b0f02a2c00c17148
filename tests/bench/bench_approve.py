"""Sign and approve a draft plan (password re-entered), as a ratio to the
signed-in floor, under gunicorn on a scratch database. PDF rendering is
excluded: approval only queues it (no worker runs here), which is the point.

Two runs: the production password hasher (PBKDF2, ~0.5 s by design on this
machine: the signature's cost) and a cheap hasher (what the request itself
costs). Goal: the cheap-hasher ratio <= 10x the signed-in floor.
"""

from __future__ import annotations

import re
import tempfile
import time
import urllib.parse
from pathlib import Path

from tests.bench.common import HttpSession, django_env, gunicorn_server, manage, percentile, row, scratch_parent
from tests.web.process_helpers import seed

GOAL_RATIO = 10.0


def measure(base_url: str, drafts: dict, floor_rounds: int) -> tuple[list[float], list[float], list[str]]:
    session = HttpSession(base_url, timeout=120)
    session.login("/accounts/login/", drafts["username"], drafts["password"])
    status, page = session.get(f"/plans/{drafts['plans'][0]}/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    floor, approve, errors = [], [], []
    for _ in range(3):  # warm-up
        session.get("/bench/floor-signed-in/")
    for plan in drafts["plans"]:
        for _ in range(floor_rounds):
            started = time.perf_counter()
            session.get("/bench/floor-signed-in/")
            floor.append(time.perf_counter() - started)
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "password": drafts["password"]}).encode()
        started = time.perf_counter()
        status, _, headers = session.request("POST", f"/plans/{plan}/approve/", body=body, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Referer": f"{base_url}/plans/{plan}/"})
        approve.append(time.perf_counter() - started)
        if status != 302:
            errors.append(f"HTTP {status}")
    return floor, approve, errors


def run_once(plans: int, cheap_hashing: bool) -> tuple[list[float], list[float], list[str]]:
    with tempfile.TemporaryDirectory(prefix="her2-bench-approve-", dir=scratch_parent()) as scratch:
        extra = {"MEDIA_ROOT": str(Path(scratch) / "media"), "TASKS_BACKEND": "database"}
        if cheap_hashing:
            extra["BENCH_CHEAP_PASSWORD_HASHING"] = "1"
        env = django_env("tests.bench.settings", f"sqlite:///{Path(scratch) / 'bench.sqlite3'}", **extra)
        manage(env, "migrate", "--noinput")
        drafts = seed(env, "seed-drafts", str(plans))
        with gunicorn_server(env, workers=1) as base_url:
            return measure(base_url, drafts, floor_rounds=5)


def run(quick: bool = False) -> list[dict]:
    plans = 8 if quick else 30
    results = []
    for cheap in (True, False):
        floor, approve, errors = run_once(plans, cheap)
        ratio = percentile(approve, 50) / percentile(floor, 50)
        label = "cheap password hasher" if cheap else "production password hasher"
        detail = (f"p50 {percentile(approve, 50) * 1000:.0f} ms vs signed-in floor p50 "
                  f"{percentile(floor, 50) * 1000:.1f} ms; {len(approve)} approvals, rendering queued not run")
        if errors:
            detail += f"; {len(errors)} bad responses: {errors[0]}"
        results.append(row(f"approve: sign-and-approve p50 / signed-in floor ({label})", ratio, "x floor",
                           f"<= {GOAL_RATIO:.0f}" if cheap else "", (ratio <= GOAL_RATIO and not errors) if cheap
                           else (False if errors else None), detail))
    return results
