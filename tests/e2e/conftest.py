"""Browser tests: Playwright driving the system Chromium against pytest-django's live_server.

Run with `pytest -m e2e`. Set SCREENSHOT_DIR to keep a PNG of each wizard step.
"""

import os
from pathlib import Path

import pytest

from her2app.accounts import roles

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
def sign_in(page, live_server):
    def sign_in_as(username: str, password: str) -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{live_server.url}/cases/")

    return sign_in_as


@pytest.fixture
def screenshot(page):
    folder = os.environ.get("SCREENSHOT_DIR")

    def take(name: str) -> None:
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            # caret="initial": hiding the caret injects a <style> that our CSP (rightly) blocks.
            page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True, caret="initial")

    return take
