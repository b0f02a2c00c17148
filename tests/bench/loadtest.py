"""`make loadtest`: the planner under 200 simultaneous users for 60 seconds.

Starts gunicorn on 127.0.0.1 (a free port) with a temporary SQLite database
(or --database-url, which must name a disposable database), migrates it,
creates the demo users and cases plus signed and verified plans with PDFs, then runs
locust headless with tests/bench/locustfile.py. Prints requests, failures,
p50/p95/p99 and requests per second, and exits non-zero on any failed
request. Everything stops by itself; traffic never leaves 127.0.0.1.

    python -m tests.bench.loadtest                    # 200 users, 60 s
    python -m tests.bench.loadtest --users 20 --run-time 10
"""

import argparse
import csv
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.bench.common import ROOT, django_env, gunicorn_server, manage

PLANNED_CASES = 8


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=200, help="simulated users (default 200)")
    parser.add_argument("--spawn-rate", type=float, default=20, help="users started per second (default 20)")
    parser.add_argument("--run-time", type=int, default=60, help="seconds of traffic (default 60)")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1, help="gunicorn workers")
    parser.add_argument("--database-url", help="a DISPOSABLE database to use instead of a temporary SQLite file")
    parser.add_argument("--real-password-hashing", action="store_true",
                        help="keep Django's full PBKDF2 cost (sign-in then dominates on small machines)")
    parser.add_argument("--think", type=float, nargs=2, default=(1.0, 3.0), metavar=("MIN", "MAX"),
                        help="seconds each user pauses between pages (default 1 3)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (database, logs, CSV)")
    return parser.parse_args(argv)


def server_environment(workdir: Path, args: argparse.Namespace) -> dict[str, str]:
    return django_env(
        "tests.bench.loadtest_settings",
        args.database_url or f"sqlite:///{workdir / 'loadtest.sqlite3'}",
        MEDIA_ROOT=str(workdir / "media"),
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        LOADTEST_REAL_HASHING="1" if args.real_password_hashing else "0",
    )


def prepare_data(output: str) -> None:
    """Demo users and cases, plus plans signed, verified (released to nurses) and printed; write what locust
    visits to `output`."""
    from datetime import date, timedelta

    from django.contrib.auth.models import User
    from django.core.management import call_command

    from her2app.cases.models import Case
    from her2app.demo.plans import approve_top_option, verify_demo_plan
    from her2app.demo.users import DEMO_USERS, demo_password
    from her2app.plans import documents as plan_documents

    call_command("load_demo")
    oncologist, pharmacist = User.objects.get(username="oncologist"), User.objects.get(username="pharmacist")
    start = date.today() + timedelta(days=3)
    plans, documents = [], []
    for case in Case.objects.filter(status=Case.Status.READY).order_by("pk")[:PLANNED_CASES]:
        if approved := approve_top_option(case, oncologist, start):
            plan = verify_demo_plan(approved, pharmacist)
            documents.append(plan_documents.render_plan_document(plan, oncologist).pk)
            plans.append(plan.pk)
    if not plans:
        raise SystemExit("no demo case could be planned: the load test needs verified plans with PDFs")
    data = {
        "passwords": {username: demo_password(username) for username in DEMO_USERS},
        "cases": list(Case.objects.values_list("pk", flat=True)),
        "planned_cases": list(Case.objects.filter(plans__pk__in=plans).values_list("pk", flat=True)),
        "plans": plans,
        "documents": documents,
        "steps": ["patient", "tumour", "history", "fitness"],
    }
    Path(output).write_text(json.dumps(data))


def run_locust(host: str, data: Path, csv_prefix: Path, args: argparse.Namespace) -> int:
    env = {**os.environ, "LOADTEST_DATA": str(data), "LOADTEST_THINK": ",".join(str(t) for t in args.think)}
    command = [
        sys.executable, "-m", "locust", "-f", str(ROOT / "tests" / "bench" / "locustfile.py"), "--headless",
        "--host", host, "--users", str(args.users), "--spawn-rate", str(args.spawn_rate),
        "--run-time", f"{args.run_time}s", "--stop-timeout", "10", "--csv", str(csv_prefix),
        "--only-summary", "--loglevel", "WARNING",
    ]
    return subprocess.run(command, cwd=ROOT, env=env, timeout=args.run_time + 180).returncode


def read_stats(csv_prefix: Path) -> tuple[dict, list[dict]]:
    with open(f"{csv_prefix}_stats.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    total = next(row for row in rows if row["Name"] == "Aggregated")
    return total, [row for row in rows if row["Name"] != "Aggregated"]


def report(total: dict, endpoints: list[dict], args: argparse.Namespace) -> None:
    print(f"\nLoad test: {args.users} users for {args.run_time} s, {args.think[0]:g}-{args.think[1]:g} s between pages, "
          f"against gunicorn ({args.workers} workers)")
    print(f"{'endpoint':<22}{'requests':>10}{'failures':>10}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}")
    for row in [*endpoints, total]:
        print(f"{row['Name']:<22}{row['Request Count']:>10}{row['Failure Count']:>10}"
              f"{row['50%']:>8}{row['95%']:>8}{row['99%']:>8}")
    print(f"requests/s: {float(total['Requests/s']):.1f}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="her2-loadtest-"))
    env = server_environment(workdir, args)
    try:
        manage(env, "migrate", "--noinput", "-v", "0")
        data = workdir / "data.json"
        manage({**env, "DEBUG": "1"}, "shell", "--no-imports", "-c",
               f"from tests.bench.loadtest import prepare_data; prepare_data({str(data)!r})")
        with gunicorn_server(env, workers=args.workers, startup_seconds=60, log=workdir / "gunicorn.log") as host:
            locust_exit = run_locust(host, data, workdir / "locust", args)
        total, endpoints = read_stats(workdir / "locust")
        report(total, endpoints, args)
        failures = int(total["Failure Count"])
        if failures or locust_exit or int(total["Request Count"]) == 0:
            print(f"FAILED: {failures} failed requests (locust exit {locust_exit}); server log: {workdir / 'gunicorn.log'}")
            args.keep = True
            return 1
        print("OK: no failed requests")
        return 0
    finally:
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
