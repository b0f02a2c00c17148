"""Engine benchmarks: recommend() cost relative to JSON (de)serialisation, and a 10,000-case CLI batch."""

import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import regimens
from regimens import catalogue as cat

ROOT = Path(__file__).resolve().parents[2]
CASE = json.loads((ROOT / "fixtures" / "cases" / "refractory_ras_wt_ihc3.json").read_text())
RATIO_GOAL = 10.0
BATCH_GOAL_SECONDS = 3.0


def _best_per_call(function, repeats: int, rounds: int = 5) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(repeats):
            function()
        best = min(best, (time.perf_counter() - start) / repeats)
    return best


def bench_recommend_ratio(quick: bool) -> dict:
    repeats = 200 if quick else 2000
    output = regimens.recommend(CASE)
    text_in, text_out = json.dumps(CASE), json.dumps(output)

    def json_round_trip() -> None:
        json.dumps(json.loads(text_in))
        json.dumps(json.loads(text_out))

    engine = _best_per_call(lambda: regimens.recommend(CASE), repeats)
    baseline = _best_per_call(json_round_trip, repeats)
    ratio = engine / baseline
    return {
        "benchmark": "recommend() vs json.loads+json.dumps of its input and output",
        "value": round(ratio, 2),
        "unit": "x",
        "goal": f"<= {RATIO_GOAL:g}x",
        "ok": ratio <= RATIO_GOAL,
        "detail": f"recommend {engine * 1e6:.0f} us, JSON round trip {baseline * 1e6:.0f} us "
        f"({len(text_in)} + {len(text_out)} bytes)",
    }


def generated_case(rng: random.Random) -> dict:
    """A random but valid contract-v1 case."""
    her2 = {"ihc": rng.choice((None,) + cat.IHC_SCORES), "ihc_percent_cells": rng.choice((None, 30, 60, 90))}
    if rng.random() < 0.4:
        her2["ish_ratio"] = round(rng.uniform(0.5, 6), 1)
    if rng.random() < 0.3:
        her2["ngs_erbb2_amplified"] = rng.choice((True, False))
    return {
        "patient": {"weight_kg": rng.choice((None, round(rng.uniform(40, 140), 1))), "pregnant": rng.random() < 0.03},
        "her2": her2,
        "ras": rng.choice(cat.MUTATION_STATUSES),
        "braf_v600e": rng.choice(cat.MUTATION_STATUSES),
        "msi": rng.choice(cat.MSI_STATUSES),
        "prior_therapies": rng.sample(cat.PRIOR_THERAPY_AGENTS, rng.randint(0, 6)),
        "fit_for_intensive_therapy": rng.choice((True, False, None)),
        "ecog": rng.randint(0, 4),
        "lvef_percent": rng.choice((None, 40, 55, 65)),
        "ild_history": rng.random() < 0.1,
        "hepatic_impairment": rng.choice(cat.HEPATIC_IMPAIRMENT),
        "strong_cyp2c8_inhibitor": rng.random() < 0.1,
    }


def _children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def bench_cli_batch(quick: bool) -> dict:
    count = 1000 if quick else 10_000
    rng = random.Random(2026)
    with tempfile.TemporaryDirectory() as tmp:
        cases = Path(tmp) / "cases.jsonl"
        cases.write_text("".join(json.dumps(generated_case(rng)) + "\n" for _ in range(count)))
        cpu_before = _children_cpu_seconds()
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "regimens", "recommend", "--batch", str(cases)],
            cwd=ROOT, capture_output=True, timeout=120,
        )
        seconds = time.perf_counter() - start
        cpu = _children_cpu_seconds() - cpu_before
    lines = done.stdout.count(b"\n")
    ok = done.returncode == 0 and lines == count and seconds < BATCH_GOAL_SECONDS
    return {
        "benchmark": f"python -m regimens recommend --batch ({count:,} cases, incl. start-up)",
        "value": round(seconds, 2),
        "unit": "s",
        "goal": f"< {BATCH_GOAL_SECONDS:g} s" + (" (for 10,000)" if quick else ""),
        "ok": ok,
        "detail": f"exit {done.returncode}, {lines} result lines, {count / seconds:,.0f} cases/s; "
        f"CPU {cpu:.2f} s; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs",
    }


def run(quick: bool = False) -> list[dict]:
    return [bench_recommend_ratio(quick), bench_cli_batch(quick)]


if __name__ == "__main__":
    for row in run(quick="--quick" in sys.argv):
        print(row)
