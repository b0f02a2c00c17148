"""Benchmark-only settings: the project's settings plus a bare "floor" view.

The floor (/bench/floor/) is a trivial template view that goes through the
same middleware stack as every page; page benchmarks report their
throughput as a ratio to it. It exists only under these settings.
"""

import copy
import os

from her2app.settings import *  # noqa: F403
from her2app.settings import BASE_DIR, TEMPLATES

ROOT_URLCONF = "tests.bench.urls"
DEBUG = False

TEMPLATES = copy.deepcopy(TEMPLATES)
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "tests" / "bench" / "templates"]

# bench_approve measures the signature request twice: with the production password
# hasher (a deliberate ~0.5 s PBKDF2 check per signature) and with a cheap one, to show
# what the request itself costs.
if os.environ.get("BENCH_CHEAP_PASSWORD_HASHING") == "1":
    PASSWORD_HASHERS = ["tests.bench.loadtest_settings.LoadTestPBKDF2PasswordHasher"]
