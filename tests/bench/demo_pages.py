"""Every demo page each demo user reaches, saved with its one-time tokens masked: to check that a change
meant to make pages cheaper leaves their markup byte-for-byte the same.

    python -m tests.bench.demo_pages snapshot /tmp/before     # before the change
    python -m tests.bench.demo_pages snapshot /tmp/after      # after it (same demo database)
    python -m tests.bench.demo_pages compare /tmp/before /tmp/after

The demo database (migrate + load_demo) is built once, in --database (default: a file in /dev/shm or the
temporary directory), and each snapshot crawls a copy of it, so both snapshots read the same records and
timestamps; delete the file to rebuild it (after a migration, or on another day: demo dates follow today).
Each user follows the links of the pages it sees from the home page (GET only, breadth first, at most
--limit pages a user), skipping sign-out, downloads and PDFs, and the admin's login records, which change
with every sign-in.
"""

from __future__ import annotations

import argparse
import filecmp
import hashlib
import re
import shutil
import sys
import tempfile
from collections import deque
from pathlib import Path

from tests.bench.common import django_env, manage, run_module, scratch_parent

USERS = ("coordinator", "oncologist", "pharmacist", "nurse", "nurse2", "admin")
LINK = re.compile(r'href="(/[^"#]*)"')
SKIPPED = re.compile(r"^/(static/|admin/axes/)|sign-out|signout|logout|/documents?/|/pdfs?/|\.pdf$|/bundle|/download")
# Admin pages below a model's change page (history, delete, ...) and filtered lists repeat what the crawl saw.
ADMIN_DEPTH = 6
MASKS = (
    (re.compile(r'("X-CSRFToken": ")[^"]+"'), r'\1MASKED"'),
    (re.compile(r'(name="[a-z_]*token" value=")[^"]+"'), r'\1MASKED"'),
)


def masked(html: str) -> str:
    for pattern, replacement in MASKS:
        html = pattern.sub(replacement, html)
    return html


def skipped(url: str) -> bool:
    if SKIPPED.search(url):
        return True
    return url.startswith("/admin/") and (url.count("/") > ADMIN_DEPTH or "?" in url)


def crawl(out: Path, limit: int) -> int:
    """Save each page each demo user reaches under `out` (in a process with Django set up)."""
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client

    saved = 0
    for username in USERS:
        client = Client(raise_request_exception=False)  # a page that fails is saved as its error page
        client.force_login(User.objects.get(username=username))
        seen: set[str] = set()
        queue = deque(["/"])
        while queue and len(seen) < limit:
            url = queue.popleft()
            if url in seen or skipped(url):
                continue
            seen.add(url)
            response = client.get(url)
            connection.close()
            body = b"" if response.streaming else response.content
            if response.status_code in (301, 302) and response.get("Location", "").startswith("/"):
                queue.append(response["Location"])
            if "html" in response.get("Content-Type", ""):
                text = masked(body.decode())
                queue.extend(link.replace("&amp;", "&") for link in LINK.findall(text))
                body = text.encode()
            name = f"{username}_{hashlib.sha1(url.encode()).hexdigest()[:16]}.html"
            (out / name).write_bytes(f"<!-- {response.status_code} {url} -->\n".encode() + body)
            saved += 1
    return saved


def demo_env(database: Path, media: Path) -> dict[str, str]:
    """The project's own settings with DEBUG on (load_demo refuses to run without it)."""
    return {**django_env("her2app.settings", f"sqlite:///{database}", MEDIA_ROOT=str(media)), "DEBUG": "1"}


def demo_database(path: Path) -> None:
    if path.exists():
        return
    building = path.with_suffix(".building")  # renamed when complete: a failed build is not reused
    building.unlink(missing_ok=True)
    env = demo_env(building, path.with_suffix(".media"))
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo")
    building.replace(path)


def snapshot(out: Path, database: Path, limit: int) -> None:
    demo_database(database)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="her2-demo-pages-", dir=scratch_parent()) as scratch:
        copy = Path(scratch) / "demo.sqlite3"
        shutil.copyfile(database, copy)
        env = demo_env(copy, Path(scratch) / "media")
        print(run_module(env, "tests.bench.demo_pages", "crawl", str(out), "--limit", str(limit)).strip())


def compare(before: Path, after: Path) -> int:
    names = sorted({path.name for path in before.iterdir()} | {path.name for path in after.iterdir()})
    changed = [name for name in names
               if not (before / name).exists() or not (after / name).exists()
               or not filecmp.cmp(before / name, after / name, shallow=False)]
    for name in changed:
        page = before / name if (before / name).exists() else after / name
        print(f"differs: {page.read_text().splitlines()[0]} ({name})")
    print(f"{len(names) - len(changed)} of {len(names)} pages byte-for-byte the same")
    return 1 if changed else 0


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.demo_pages", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    take = commands.add_parser("snapshot", help="save every demo page under OUT")
    take.add_argument("out", type=Path)
    take.add_argument("--database", type=Path,
                      default=Path(scratch_parent() or tempfile.gettempdir()) / "her2-demo-pages.sqlite3")
    take.add_argument("--limit", type=int, default=150, help="pages a user, at most")
    diff = commands.add_parser("compare", help="list the pages that differ between two snapshots")
    diff.add_argument("before", type=Path)
    diff.add_argument("after", type=Path)
    inner = commands.add_parser("crawl")  # internal: the snapshot's crawl, in a process with Django set up
    inner.add_argument("out", type=Path)
    inner.add_argument("--limit", type=int)
    args = parser.parse_args()
    if args.command == "snapshot":
        snapshot(args.out, args.database, args.limit)
    elif args.command == "compare":
        sys.exit(compare(args.before, args.after))
    else:
        import django

        django.setup()
        print(f"{crawl(args.out, args.limit)} pages saved in {args.out}")


if __name__ == "__main__":
    main()
