"""Plan PDF benchmarks: render time of a real treatment plan as a ratio to a
minimal one-page WeasyPrint document in the same run, and memory growth over
many renders in a row.

The measurement runs in a child process (`python -m tests.bench.bench_pdf
--worker`) with its own temporary SQLite database and media folder, so Django
is set up cleanly and the RSS figures are that process's alone.
"""

from __future__ import annotations

import json
import statistics
import os
import sys
import tempfile
import time

from tests.bench.common import django_env, run_module

RATIO_GOAL = 5.0
GROWTH_GOAL_MB = 50.0
RENDER_BUDGET_SECONDS = {True: 60.0, False: 600.0}  # quick, full: stop the loop early on a slow machine
WORKER_TIMEOUT_SECONDS = 1200
MINIMAL_HTML = "<!doctype html><html><body><h1>Minimal</h1><p>One page.</p></body></html>"


def run(quick: bool = False) -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as folder:
        env = django_env("her2app.settings", f"sqlite:///{folder}/bench.sqlite3", MEDIA_ROOT=f"{folder}/media",
                         AXES_ENABLED="0")
        output = run_module(env, "tests.bench.bench_pdf", "--worker", *(["--quick"] if quick else []),
                            timeout=WORKER_TIMEOUT_SECONDS)
    return json.loads(output.strip().splitlines()[-1])


# --- the worker (child process) -------------------------------------------
def _rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        resident_pages = int(handle.read().split()[1])
    return resident_pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def _median_seconds(functions: dict, rounds: int) -> dict[str, float]:
    """Median wall time of each function, timed in interleaved rounds so a
    loaded machine slows every side alike (best-of favours whichever side
    happened to hit a quiet moment)."""
    times: dict[str, list[float]] = {name: [] for name in functions}
    for _ in range(rounds):
        for name, function in functions.items():
            start = time.perf_counter()
            function()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def _setup_plan():
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from her2app.plans import actions
    from tests.factories import plannable_case
    from tests.web.plan_helpers import draft_plan

    oncologist = User.objects.create_user("bench-oncologist", password="bench-only-password-1")
    oncologist.groups.add(Group.objects.get(name="oncologist"))
    plan, _ = actions.approve_plan(draft_plan(plannable_case(oncologist), oncologist), oncologist)
    return plan


def _worker(quick: bool) -> list[dict]:
    from io import BytesIO

    from pypdf import PdfReader
    from weasyprint import HTML

    plan = _setup_plan()
    from her2app.plans.pdf import PDF_OPTIONS, render_plan_html, render_plan_pdf
    from her2app.rendering.fonts import font_config

    def render_plan() -> bytes:
        return render_plan_pdf(plan)

    def render_minimal() -> bytes:
        # Same FontConfiguration and options as the plan: a fresh one per
        # render (WeasyPrint's default) would add ~5 ms to the minimal side only.
        return HTML(string=MINIMAL_HTML).write_pdf(font_config=font_config(), **PDF_OPTIONS)

    rounds = 5 if quick else 15
    for _ in range(2):  # warm caches (fonts, stylesheet, templates) on both sides
        render_plan(), render_minimal()
    medians = _median_seconds(
        {"plan": render_plan, "minimal": render_minimal, "html": lambda: render_plan_html(plan)}, rounds
    )
    plan_seconds, minimal_seconds = medians["plan"], medians["minimal"]
    ratio = plan_seconds / minimal_seconds
    pages = len(PdfReader(BytesIO(render_plan())).pages)

    renders = 50 if quick else 500
    warm_up = 10 if quick else 25
    for _ in range(warm_up):
        render_plan()
    before = _rss_mb()
    start = time.perf_counter()
    done = 0
    while done < renders and time.perf_counter() - start < RENDER_BUDGET_SECONDS[quick]:
        render_plan()
        done += 1
    elapsed = time.perf_counter() - start
    after = _rss_mb()
    growth = after - before
    budget = RENDER_BUDGET_SECONDS[quick]
    cut_short = f"; stopped after {done} of {renders} at the {budget:g} s budget" if done < renders else ""
    return [
        {
            "benchmark": "plan PDF render vs minimal one-page WeasyPrint PDF",
            "value": round(ratio, 2),
            "unit": "x",
            "goal": f"<= {RATIO_GOAL:g}x",
            "ok": ratio <= RATIO_GOAL,
            "detail": f"plan {plan_seconds * 1000:.0f} ms ({pages} pages; Django HTML {medians['html'] * 1000:.0f} ms "
            f"of it), minimal {minimal_seconds * 1000:.1f} ms, same font config, median of {rounds} interleaved; "
            f"{ratio / pages:.1f}x per page",
        },
        {
            "benchmark": f"RSS growth over {done} plan PDF renders in a row",
            "value": round(growth, 1),
            "unit": "MB",
            "goal": f"< {GROWTH_GOAL_MB:g} MB after {warm_up} warm-up renders",
            "ok": growth < GROWTH_GOAL_MB,
            "detail": f"RSS {before:.0f} MB before, {after:.0f} MB after; {elapsed / done * 1000:.0f} ms per render"
            f"{cut_short}",
        },
    ]


if __name__ == "__main__" and "--worker" in sys.argv:
    print(json.dumps(_worker(quick="--quick" in sys.argv)))
