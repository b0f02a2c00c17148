"""`make bench`: run every tests/bench/bench_*.py module and print one table.

    python -m tests.bench            # full run
    python -m tests.bench --quick    # fewer iterations, for a smoke check
    python -m tests.bench --only pages,engine

Exit status: 1 if any benchmark module crashed; a missed goal is printed as
MISSED but does not fail the run (machines differ; the JSON keeps the record).
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
import time
import traceback
from pathlib import Path

from tests.bench.common import format_table, row, verdict, write_results

BENCH_DIR = Path(__file__).resolve().parent


def discover(only: set[str] | None = None) -> list[str]:
    names = sorted(
        info.name for info in pkgutil.iter_modules([str(BENCH_DIR)]) if info.name.startswith("bench_")
    )
    if only:
        names = [name for name in names if name.removeprefix("bench_") in only]
    return names


def run_module(name: str, quick: bool) -> list[dict]:
    module = importlib.import_module(f"tests.bench.{name}")
    results = module.run(quick=quick)
    if not isinstance(results, list) or not all(isinstance(result, dict) for result in results):
        raise TypeError(f"{name}.run() must return a list of dicts, got {type(results).__name__}")
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer iterations (smoke check)")
    parser.add_argument("--only", default="", help="comma-separated module names without bench_, e.g. pages")
    args = parser.parse_args(argv)
    only = {name.strip() for name in args.only.split(",") if name.strip()} or None

    rows: list[dict] = []
    crashed: list[str] = []
    for name in discover(only):
        print(f"running {name} ...", file=sys.stderr, flush=True)
        started = time.monotonic()
        try:
            rows.extend(run_module(name, args.quick))
        except Exception as error:  # noqa: BLE001 - one crashed module must not hide the others' results
            traceback.print_exc()
            crashed.append(name)
            last_line = (str(error).strip().splitlines() or [""])[-1]
            rows.append(row(name, None, "", "runs", False, f"CRASHED: {type(error).__name__}: {last_line}"[:200]))
        print(f"  {name} took {time.monotonic() - started:.1f} s", file=sys.stderr, flush=True)

    print(format_table(rows))
    path = write_results(rows, quick=args.quick, crashed=crashed)
    missed = [r["benchmark"] for r in rows if verdict(r) == "MISSED" and r["benchmark"] not in crashed]
    print(f"\nresults: {path} (and bench-results/latest.json); load average now "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    if missed:
        print(f"MISSED goals ({len(missed)}): {', '.join(missed)}")
    if crashed:
        print(f"CRASHED modules: {', '.join(crashed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
