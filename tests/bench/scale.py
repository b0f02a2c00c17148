"""Scale check: case list and search with 100,000 cases on PostgreSQL.

    make bench-scale
    python -m tests.bench.scale [--cases 100000] [--requests 200] [--reset]
                                [--database-url postgres://postgres@127.0.0.1:5432/her2_scale]

Creates the database if needed (`--reset` drops it first), migrates, tops it
up to N synthetic cases with `generate_cases`, then sends a bounded number of
requests per query through Django's test client (the whole middleware stack,
no network) and reports p50/p99. Goal: p99 < 100 ms for the list and for
search by MRN and by name. Results go to bench-results/scale-latest.json.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass

from tests.bench.common import format_table, percentile, row, verdict, write_results

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/her2_scale"
GOAL_MS = 100.0
TIME_LIMIT_SECONDS = 300


@dataclass(frozen=True)
class Query:
    label: str
    params: dict[str, str]
    expect: str  # text every response must contain


def ensure_database(url: str, reset: bool) -> None:
    """Create (or with reset, recreate) the PostgreSQL database named in `url`."""
    import dj_database_url
    import psycopg
    from psycopg import sql

    config = dj_database_url.parse(url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        raise SystemExit("The scale check needs a PostgreSQL DATABASE_URL.")
    name = config["NAME"]
    server = {"host": config["HOST"] or "127.0.0.1", "port": config["PORT"] or 5432,
              "user": config["USER"] or "postgres", "password": config["PASSWORD"] or None, "dbname": "postgres"}
    with psycopg.connect(**server, autocommit=True) as connection:
        if reset:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "her2app.settings"
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def fill(count: int) -> str:
    """Top the database up to `count` cases; say what was done."""
    from django.core.management import call_command

    from her2app.cases.management.commands.generate_cases import generate_cases
    from her2app.cases.models import Case

    started = time.monotonic()
    _refuse_to_migrate_generated_rows()
    call_command("migrate", verbosity=0, interactive=False)
    migrated = time.monotonic() - started
    existing = Case.objects.count()
    if existing >= count:
        return f"{existing:,} cases already present"
    started = time.monotonic()
    generate_cases(count - existing, seed=existing + 1)
    _vacuum_analyze()
    return f"migrated in {migrated:.0f} s, then generated {count - existing:,} cases in {time.monotonic() - started:.0f} s"


def _refuse_to_migrate_generated_rows() -> None:
    """Migrate an empty database, then generate: data migrations run over 100,000 generated cases took most of
    a 14-minute run (monitoring 0002 reads them one by one) and leave rows a fresh database would not have."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if not pending or "cases_case" not in connection.introspection.table_names():
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM cases_case)")
        if cursor.fetchone()[0]:
            raise SystemExit(f"{len(pending)} migrations are not applied to this database of generated cases; "
                             "run again with --reset to migrate an empty database and generate afresh.")


def _vacuum_analyze() -> None:
    """What follows any bulk load (and what autovacuum does minutes later): statistics for the planner,
    and a visibility map so that counting cases reads the patient index alone, not every row it points to."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def queries() -> list[Query]:
    from django.utils.html import escape

    from her2app.cases.models import Patient

    sample = Patient.objects.filter(mrn__startswith="SYN").order_by("mrn")[1234:1235].get()
    return [
        Query("list, first page", {}, "SYN"),
        Query("list, status filter", {"status": "ready"}, "SYN"),
        Query("list, page 200", {"page": "200"}, "SYN"),
        Query("search MRN (exact)", {"q": sample.mrn}, sample.mrn),
        Query("search MRN (partial)", {"q": sample.mrn[-6:]}, sample.mrn[-6:]),
        Query("search family name", {"q": sample.family_name}, escape(sample.family_name.upper())),
        Query("search given name", {"q": sample.given_name}, escape(sample.given_name)),
        Query("search, no match", {"q": "Zzyzxq"}, "No cases match"),
    ]


def measure(query: Query, requests: int, client, deadline: float) -> tuple[list[float], list[str]]:
    from django.urls import reverse

    url = reverse("cases:list")
    timings, errors = [], []
    client.get(url, query.params)  # warm-up, not measured
    for _ in range(requests):
        if time.monotonic() > deadline:
            errors.append("time limit reached")
            break
        started = time.perf_counter()
        response = client.get(url, query.params)
        timings.append(time.perf_counter() - started)
        if response.status_code != 200 or query.expect.encode() not in response.content:
            errors.append(f"HTTP {response.status_code}" if response.status_code != 200
                          else f"{query.expect!r} missing")
    return timings, errors


def signed_in_client():
    from django.contrib.auth.models import Group, User
    from django.test import Client

    user, _ = User.objects.get_or_create(username="scale-coordinator")
    user.groups.add(Group.objects.get(name="coordinator"))
    client = Client()
    client.force_login(user)
    return client


def run_scale(cases: int, requests: int) -> list[dict]:
    from her2app.cases.models import Case

    filled = fill(cases)
    total = Case.objects.count()
    client = signed_in_client()
    deadline = time.monotonic() + TIME_LIMIT_SECONDS
    rows = [row("scale: cases in database", total, "cases", f">= {cases:,}", total >= cases, filled)]
    for query in queries():
        timings, errors = measure(query, requests, client, deadline)
        p50, p99 = (percentile(timings, 50) * 1000, percentile(timings, 99) * 1000) if timings else (None, None)
        detail = f"p50 {p50:.1f} ms; {len(timings)} requests" if timings else "no requests"
        if errors:
            detail += f"; {len(errors)} errors: {errors[0]}"
        rows.append(row(f"scale: {query.label} p99", p99, "ms", f"< {GOAL_MS:.0f}",
                        p99 is not None and p99 < GOAL_MS and not errors, detail))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.scale", description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200, help="measured requests per query (bounded)")
    parser.add_argument("--database-url", default=os.environ.get("SCALE_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--reset", action="store_true", help="drop and recreate the database first")
    args = parser.parse_args(argv)
    ensure_database(args.database_url, args.reset)
    setup_django(args.database_url)
    rows = run_scale(args.cases, max(1, min(args.requests, 1000)))
    print(format_table(rows))
    path = write_results(rows, quick=False, prefix="scale-")
    print(f"\nresults: {path} (and bench-results/scale-latest.json)")
    missed = [r["benchmark"] for r in rows if verdict(r) == "MISSED"]
    if missed:
        print(f"MISSED goals ({len(missed)}): {', '.join(missed)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
