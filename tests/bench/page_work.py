"""The Python work each benchmarked page does, counted in bytecode instructions: a figure that does not move
with the machine's load, unlike bench_pages' timings on a shared machine.

    python -m tests.bench.page_work              # seeds its own throw-away database, as bench_pages does
    python -m tests.bench.page_work --cases 200

Each page is requested in-process (Django's test client, signed in as the oncologist) and the database
connection is closed after each request, as under gunicorn. Work in C (SQLite, the regex engine) is not
counted, so a page's multiple of the signed-in floor here is larger than its multiple in time; compare
counts before and after a change rather than with bench_pages' goal.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.bench.bench_pages import scratch_parent, seed_database
from tests.bench.common import ROOT, django_env

PAGES = ("signed_in_floor", "case_list", "case_detail", "review")
WARM_UP, COUNTED = 5, 3


def count_instructions(seeded: dict) -> dict[str, float]:
    """Bytecode instructions per request of each page (in a process with Django set up)."""
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client

    client = Client()
    client.force_login(User.objects.get(username=seeded["users"]["oncologist"]))
    counted = 0

    def trace(frame, event, arg):
        nonlocal counted
        frame.f_trace_opcodes = True
        counted += event == "opcode"
        return trace

    def get(url: str) -> None:
        response = client.get(url)
        connection.close()
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")

    per_request = {}
    for page in PAGES:
        for _ in range(WARM_UP):
            get(seeded["urls"][page])
        counted = 0
        sys.settrace(trace)
        for _ in range(COUNTED):
            get(seeded["urls"][page])
        sys.settrace(None)
        per_request[page] = counted / COUNTED
    return per_request


def measure_in_subprocess(seeded_path: str) -> None:
    import django

    django.setup()
    print(json.dumps(count_instructions(json.loads(Path(seeded_path).read_text()))))


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.page_work", description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # the seeded database's URLs (internal)
    args = parser.parse_args()
    if args.measure:
        measure_in_subprocess(args.measure)
        return
    with tempfile.TemporaryDirectory(prefix="her2-work-", dir=scratch_parent()) as scratch:
        env = django_env("tests.bench.settings", f"sqlite:///{Path(scratch) / 'bench.sqlite3'}",
                         MEDIA_ROOT=str(Path(scratch) / "media"))
        seeded_path = Path(scratch) / "seeded.json"
        seeded_path.write_text(json.dumps(seed_database(env, args.cases)))
        done = subprocess.run([sys.executable, "-W", "ignore", "-m", "tests.bench.page_work", "--measure",
                               str(seeded_path)], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    counts = json.loads(done.stdout.strip().splitlines()[-1])
    floor = counts["signed_in_floor"]
    for page, count in counts.items():
        print(f"{page:16s} {count / 1000:7.0f}k instructions a request  {count / floor:5.2f} x signed-in floor")


if __name__ == "__main__":
    main()
