"""Benchmark-only settings: the project's settings plus a bare "floor" view.

The floor (/bench/floor/) is a trivial template view that goes through the
same middleware stack as every page; page benchmarks report their
throughput as a ratio to it. It exists only under these settings.
"""

import copy

from her2app.settings import *  # noqa: F403
from her2app.settings import BASE_DIR, TEMPLATES

ROOT_URLCONF = "tests.bench.urls"
DEBUG = False

TEMPLATES = copy.deepcopy(TEMPLATES)
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "tests" / "bench" / "templates"]
