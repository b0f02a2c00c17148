"""Browser tests: Playwright driving the system Chromium against pytest-django's live_server.

Run with `pytest -m e2e`. Screenshots of visited pages go to artifacts/screenshots/<test>/
(the `snap` fixture).
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page

from her2app.accounts import roles
from tests.e2e.journey_helpers import SCREENSHOTS, full_page_png
from tests.internal_codes import assert_no_internal_codes, html_text

# Playwright's sync API runs an event loop in the test thread; Django must still allow ORM calls there.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(autouse=True)
def role_groups(transactional_db) -> None:
    roles.ensure_roles()


@pytest.fixture
def console_errors(page) -> list[str]:
    """Script errors, CSP violations and failed responses (other than the browser's favicon probe)."""
    errors: list[str] = []

    def on_console(message) -> None:
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            errors.append(message.text)

    def on_response(response) -> None:
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            errors.append(f"{response.status} {response.url}")

    page.on("console", on_console)
    page.on("response", on_response)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


@pytest.fixture
def snap(page: Page, request):
    """snap("name") saves a full-page PNG of the current page, numbered in visiting order, and the text a
    person reads on it (.txt beside the PNG), which must show no engine code."""
    folder = SCREENSHOTS / re.sub(r"[^\w.-]+", "_", request.node.name)
    folder.mkdir(parents=True, exist_ok=True)
    for old in [*folder.glob("*.png"), *folder.glob("*.txt")]:
        old.unlink()
    count = iter(range(1, 100))
    devtools = page.context.new_cdp_session(page)

    def take(name: str) -> Path:
        path = folder / f"{next(count):02d}-{name}.png"
        path.write_bytes(full_page_png(devtools))
        text = html_text(page.content())
        path.with_suffix(".txt").write_text(text + "\n")
        assert_no_internal_codes(text, f"page {path.name} ({page.url})")
        return path

    return take
