"""Shared pieces of the benchmark suite: result rows, the table, the JSON
record, percentiles, and a gunicorn server on 127.0.0.1 for page benchmarks.

Every benchmark module `tests/bench/bench_*.py` exposes
`run(quick: bool = False) -> list[dict]`, each dict a row made by `row()`.
"""

from __future__ import annotations

import contextlib
import http.client
import http.cookies
import json
import math
import os
import platform
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from datetime import datetime, timezone
from pathlib import Path

from tests.web.process_helpers import run, stop

ROOT = Path(__file__).resolve().parents[2]
RESULTS_DIR = ROOT / "bench-results"
ROW_KEYS = ("benchmark", "value", "unit", "goal", "ok", "detail")


def row(benchmark: str, value: float | None, unit: str, goal: str = "", ok: bool | None = None,
        detail: str = "") -> dict:
    """One result. `ok` is None for figures that are reported without a goal."""
    return {"benchmark": benchmark, "value": value, "unit": unit, "goal": goal, "ok": ok, "detail": detail}


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (pct in 0..100) of a non-empty sequence."""
    if not values:
        raise ValueError("percentile of no values")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(pct / 100 * len(ordered))))
    return ordered[rank - 1]


def format_value(value: float | None) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"
    return str(value)


def verdict(result: dict) -> str:
    if result.get("ok") is None:
        return ""
    return "ok" if result["ok"] else "MISSED"


def format_table(rows: Sequence[dict]) -> str:
    header = ("benchmark", "value", "unit", "goal", "result", "detail")
    cells = [header] + [
        (r["benchmark"], format_value(r["value"]), r["unit"], r["goal"], verdict(r), r.get("detail", ""))
        for r in rows
    ]
    widths = [max(len(str(line[i])) for line in cells) for i in range(len(header) - 1)]
    lines = []
    for index, line in enumerate(cells):
        lead = "  ".join(str(cell).ljust(width) for cell, width in zip(line, widths))
        lines.append(f"{lead}  {line[-1]}".rstrip())
        if index == 0:
            lines.append("  ".join("-" * width for width in widths) + "  " + "-" * 6)
    return "\n".join(lines)


def git_commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=5
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def write_results(rows: Sequence[dict], *, quick: bool, crashed: Sequence[str] = (),
                  directory: Path = RESULTS_DIR, prefix: str = "") -> Path:
    """Write `<prefix><UTC timestamp>.json` and `<prefix>latest.json`; return the timestamped path."""
    directory.mkdir(parents=True, exist_ok=True)
    now = datetime.now(timezone.utc)
    record = {
        "timestamp": now.isoformat(timespec="seconds"),
        "commit": git_commit(),
        "quick": quick,
        "python": platform.python_version(),
        "machine": f"{platform.machine()} x{os.cpu_count()}",
        "load_average": list(os.getloadavg()),  # a busy machine explains a noisy run
        "crashed": list(crashed),
        "rows": [{key: r.get(key) for key in ROW_KEYS} for r in rows],
    }
    text = json.dumps(record, indent=2) + "\n"
    path = directory / f"{prefix}{now.strftime('%Y%m%dT%H%M%SZ')}.json"
    path.write_text(text)
    (directory / f"{prefix}latest.json").write_text(text)
    return path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def django_env(settings_module: str, database_url: str, **extra: str) -> dict[str, str]:
    """Environment for a Django subprocess of this project."""
    env = dict(os.environ)
    env.update(DJANGO_SETTINGS_MODULE=settings_module, DATABASE_URL=database_url, DEBUG="0",
               PYTHONPATH=str(ROOT), LOG_LEVEL="WARNING", **extra)
    env.pop("PRODUCTION", None)
    return env


def manage(env: dict[str, str], *args: str, timeout: float = 600) -> str:
    """Run `manage.py args` in a subprocess; raise with its stderr on failure; return its output."""
    return run(env, "manage.py", *args, timeout=timeout)


def run_module(env: dict[str, str], module: str, *args: str, timeout: float = 600) -> str:
    """Run `python -m module args` in a subprocess (warnings off); raise with its stderr on failure."""
    return run(env, "-W", "ignore", "-m", module, *args, timeout=timeout)


def scratch_parent() -> str | None:
    """Memory-backed /dev/shm when there is one: the session save each request makes is an SQLite
    commit, and a busy disk's fsync would otherwise dominate (and randomise) every figure."""
    return "/dev/shm" if os.access("/dev/shm", os.W_OK) else None


@contextlib.contextmanager
def gunicorn_server(env: dict[str, str], *, workers: int = 2, startup_seconds: float = 30,
                    log: Path | None = None) -> Iterator[str]:
    """Serve the project with gunicorn on 127.0.0.1:<free port>; yield the base URL; always stop it.
    Its warnings and errors go to `log` when given (kept after it stops), else to a temporary file."""
    port = free_port()
    command = [
        sys.executable, "-m", "gunicorn", "her2app.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--worker-class", "sync",
        "--log-level", "warning", "--timeout", "60", "--graceful-timeout", "5",
    ]
    with open(log, "w+") if log else tempfile.TemporaryFile("w+") as errors:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=errors, text=True)
        base_url = f"http://127.0.0.1:{port}"
        try:
            _wait_until_serving(base_url, process, startup_seconds, errors)
            yield base_url
        finally:
            stop(process)


def _wait_until_serving(base_url: str, process: subprocess.Popen, seconds: float, errors) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            errors.seek(0)
            raise RuntimeError(f"gunicorn exited with {process.returncode}: {errors.read()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{base_url}/accounts/login/", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer on {base_url} within {seconds:.0f} s")


class HttpSession:
    """A tiny cookie-keeping HTTP client on http.client (no extra packages).

    Thread-safe for GETs once logged in: each request opens its own
    connection (gunicorn's sync workers close the connection anyway).
    """

    def __init__(self, base_url: str, timeout: float = 30):
        parsed = urllib.parse.urlsplit(base_url)
        self.host, self.port = parsed.hostname, parsed.port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, bytes, dict[str, str]]:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            all_headers = {"Host": f"{self.host}:{self.port}", **(headers or {})}
            if self.cookies:
                all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            connection.request(method, path, body=body, headers=all_headers)
            response = connection.getresponse()
            content = response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in http.cookies.SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response.status, content, dict(response.headers)
        finally:
            connection.close()

    def get(self, path: str) -> tuple[int, bytes]:
        status, content, _ = self.request("GET", path)
        return status, content

    def login(self, login_path: str, username: str, password: str) -> None:
        """Sign in through the real login form (CSRF token included); raise if refused."""
        status, page, _ = self.request("GET", login_path)
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or not match:
            raise RuntimeError(f"login page {login_path} answered {status} without a CSRF token")
        form = urllib.parse.urlencode({"csrfmiddlewaretoken": match.group(1).decode(), "username": username,
                                       "password": password}).encode()
        status, _, headers = self.request("POST", login_path, body=form, headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://{self.host}:{self.port}{login_path}",
        })
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login as {username} failed: HTTP {status}")
