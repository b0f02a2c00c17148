"""The Python work each benchmarked page does, counted in bytecode instructions: a figure that does not move
with the machine's load, unlike bench_pages' timings on a shared machine.

    python -m tests.bench.page_work              # seeds its own throw-away database, as bench_pages does
    python -m tests.bench.page_work --cases 200
    python -m tests.bench.page_work --nodes 25   # also each page's 25 costliest template nodes (tags, variables)

Each page is requested in-process (Django's test client, signed in as the oncologist) and the database
connection is closed after each request, as under gunicorn. Work in C (SQLite, the regex engine) is not
counted, so a page's multiple of the signed-in floor here is larger than its multiple in time; compare
counts before and after a change rather than with bench_pages' goal.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

from tests.bench.bench_pages import seed_database
from tests.bench.common import django_env, run_module, scratch_parent

PAGES = ("signed_in_floor", "case_list", "case_detail", "review")
WARM_UP, COUNTED = 5, 3


class Instructions:
    """Counts the bytecode instructions run while it traces (`with counter:`)."""

    def __init__(self):
        self.counted = 0

    def trace(self, frame, event, arg):
        frame.f_trace_opcodes = True
        self.counted += event == "opcode"
        return self.trace

    def __enter__(self):
        sys.settrace(self.trace)
        return self

    def __exit__(self, *exc_info):
        sys.settrace(None)


def signed_in_get(seeded: dict):
    """A function requesting a URL as the oncologist, closing the connection after it, as under gunicorn."""
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client

    client = Client()
    client.force_login(User.objects.get(username=seeded["users"]["oncologist"]))

    def get(url: str) -> None:
        response = client.get(url)
        connection.close()
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")

    return get


def count_instructions(seeded: dict) -> dict[str, float]:
    """Bytecode instructions per request of each page (in a process with Django set up)."""
    get = signed_in_get(seeded)
    per_request = {}
    for page in PAGES:
        for _ in range(WARM_UP):
            get(seeded["urls"][page])
        with Instructions() as counter:
            for _ in range(COUNTED):
                get(seeded["urls"][page])
        per_request[page] = counter.counted / COUNTED
    return per_request


def template_nodes(seeded: dict, top: int) -> str:
    """Each page's `top` template nodes by the instructions they run themselves (without the nodes inside
    them), with the instructions inside them too and how often they ran in one request. A node's own count
    includes the Python it calls (a query its variable runs, a tag's code); each node also counts the few
    instructions of the probe that measures it, so the figures are a little high."""
    from django.template.base import Node

    get = signed_in_get(seeded)
    counter = Instructions()
    own, inside, runs, open_nodes = Counter(), Counter(), Counter(), []
    render_annotated = Node.render_annotated

    def measured(node, context):
        origin, token = getattr(node, "origin", None), getattr(node, "token", None)
        key = (f"{getattr(origin, 'template_name', '?')}:{token.lineno if token else 0}",
               token.contents[:60] if token else type(node).__name__)
        started, children = counter.counted, len(open_nodes)
        open_nodes.append(0)
        try:
            return render_annotated(node, context)
        finally:
            spent = counter.counted - started
            own[key] += spent - open_nodes.pop()
            inside[key] += spent
            runs[key] += 1
            if children:
                open_nodes[-1] += spent

    lines = []
    for page in PAGES[1:]:  # the floor's template has no nodes to speak of
        own.clear(), inside.clear(), runs.clear()
        get(seeded["urls"][page])
        Node.render_annotated = measured
        try:
            with counter:
                started = counter.counted
                get(seeded["urls"][page])
        finally:
            Node.render_annotated = render_annotated
        total = counter.counted - started
        in_templates = max(inside.values(), default=0)
        lines.append(f"{page}: {total / 1000:.0f}k instructions (probed), {in_templates / 1000:.0f}k under template nodes")
        lines.append(f"{'own':>8s} {'inside':>8s} {'runs':>4s}  node")
        lines += [f"{count:8d} {inside[key]:8d} {runs[key]:4d}  {key[0]} {key[1]!r}" for key, count in own.most_common(top)]
    return "\n".join(lines)


def measure_in_subprocess(seeded_path: str, nodes: int) -> None:
    import django

    django.setup()
    seeded = json.loads(Path(seeded_path).read_text())
    if nodes:
        print(template_nodes(seeded, nodes))
    print(json.dumps(count_instructions(seeded)))


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.page_work", description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--nodes", type=int, default=0, metavar="N",
                        help="also print each page's N costliest template nodes")
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # the seeded database's URLs (internal)
    args = parser.parse_args()
    if args.measure:
        measure_in_subprocess(args.measure, args.nodes)
        return
    with tempfile.TemporaryDirectory(prefix="her2-work-", dir=scratch_parent()) as scratch:
        env = django_env("tests.bench.settings", f"sqlite:///{Path(scratch) / 'bench.sqlite3'}",
                         MEDIA_ROOT=str(Path(scratch) / "media"))
        seeded_path = Path(scratch) / "seeded.json"
        seeded_path.write_text(json.dumps(seed_database(env, args.cases)))
        output = run_module(env, "tests.bench.page_work", "--measure", str(seeded_path), "--nodes", str(args.nodes))
    *nodes, last = output.strip().splitlines()
    if nodes:
        print("\n".join(nodes))
    counts = json.loads(last)
    floor = counts["signed_in_floor"]
    for page, count in counts.items():
        print(f"{page:16s} {count / 1000:7.0f}k instructions a request  {count / floor:5.2f} x signed-in floor")


if __name__ == "__main__":
    main()
