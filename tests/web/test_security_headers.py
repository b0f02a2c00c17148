"""Content Security Policy, secure headers and cookies, and the production settings mode."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from conftest import password_of

ROOT = Path(settings.BASE_DIR)
# WeasyPrint renders templates/pdf/ offline, never in a browser: CSP does not apply there.
BROWSER_TEMPLATE_DIRS = [ROOT / "templates", *sorted((ROOT / "her2app").glob("*/templates"))]
EXCLUDED = ROOT / "templates" / "pdf"


def browser_templates() -> list[Path]:
    found = []
    for folder in BROWSER_TEMPLATE_DIRS:
        found += [p for p in folder.rglob("*.html") if EXCLUDED not in p.parents]
    assert found, "no templates found to scan"
    return sorted(found)


def csp_directives(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"{response.request['PATH_INFO']} has no Content-Security-Policy header"
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_strict_csp(response) -> None:
    directives = csp_directives(response)
    assert directives["script-src"] == ["'self'"], "scripts only from our own origin"
    assert directives["style-src"] == ["'self'"], "styles only from our own origin"
    assert directives["object-src"] == ["'none'"]
    assert "frame-ancestors" in directives
    flat = " ".join(v for values in directives.values() for v in values)
    assert "unsafe-inline" not in flat and "unsafe-eval" not in flat


# --- the header on every kind of response -----------------------------------

@pytest.mark.parametrize(
    "path, status",
    [("/", 200), ("/accounts/login/", 200), ("/cases/", 302), ("/no-such-page/", 404)],
)
def test_anonymous_responses_carry_a_strict_csp(client, db, path, status):
    response = client.get(path)
    assert response.status_code == status
    assert_strict_csp(response)


def test_signed_in_pages_forbidden_pages_and_admin_carry_a_strict_csp(client, coordinator, nurse):
    client.force_login(coordinator)
    assert_strict_csp(client.get("/cases/"))
    assert_strict_csp(client.get("/admin/", follow=True))
    client.force_login(nurse)
    forbidden = client.get("/cases/")
    assert forbidden.status_code == 403
    assert_strict_csp(forbidden)


def test_csrf_failure_and_lockout_pages_carry_a_strict_csp(coordinator):
    strict = Client(enforce_csrf_checks=True)
    rejected = strict.post("/accounts/login/", {"username": "cora", "password": "x"})
    assert rejected.status_code == 403
    assert_strict_csp(rejected)

    client = Client()
    for _ in range(6):
        response = client.post("/accounts/login/", {"username": "cora", "password": "wrong"})
    assert response.status_code == 429
    assert_strict_csp(response)


def test_security_headers_and_cookie_flags(client, coordinator):
    response = client.post("/accounts/login/", {"username": "cora", "password": password_of("cora")})
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    session_cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session_cookie["httponly"], "scripts cannot read the session cookie"
    assert session_cookie["samesite"] == "Lax"
    assert not session_cookie["max-age"], "the session cookie dies with the browser"


# --- templates: no inline script, style or event handler ---------------------

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
HTMX_INLINE_JS = re.compile(r"\bhx-on[:-]|\bhx-vals\s*=\s*['\"]\s*js:|javascript:", re.IGNORECASE)


@pytest.mark.parametrize(
    "pattern, what",
    [
        (INLINE_SCRIPT, "an inline <script> (put JS in static/js/)"),
        (STYLE_ELEMENT, "a <style> element (put CSS in static/css/)"),
        (STYLE_ATTRIBUTE, "a style= attribute (use a class from static/css/app.css)"),
        (EVENT_HANDLER, "an on*= event handler attribute"),
        (HTMX_INLINE_JS, "inline JavaScript through htmx or a javascript: URL"),
    ],
)
def test_no_template_needs_unsafe_inline(pattern, what):
    offenders = []
    for template in browser_templates():
        text = template.read_text()
        for match in pattern.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            offenders.append(f"{template.relative_to(ROOT)}:{line}")
    assert not offenders, f"CSP would block {what}: {offenders}"


def test_the_scan_catches_what_it_looks_for():
    assert INLINE_SCRIPT.search('<script>alert(1)</script>')
    assert not INLINE_SCRIPT.search('<script src="/static/js/app.js" defer></script>')
    assert STYLE_ATTRIBUTE.search('<div class="x"\n  style="color: red">')
    assert EVENT_HANDLER.search('<button onclick="go()">')
    assert not EVENT_HANDLER.search('<button class="once">')
    assert HTMX_INLINE_JS.search('<div hx-on:click="x()">')


def test_htmx_is_served_from_our_origin_and_allowed_by_the_policy(client, db):
    page = client.get("/accounts/login/").content.decode()
    sources = re.findall(r'<script[^>]*\bsrc="([^"]+)"', page)
    assert any("htmx" in src for src in sources), "htmx is loaded"
    assert all(src.startswith("/") and not src.startswith("//") for src in sources), sources
    assert '"allowScriptTags": false' in page and '"includeIndicatorStyles": false' in page


# --- production settings mode -------------------------------------------------

# The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; a deployment never has it.
NOT_INHERITED = ("SECRET_KEY", "SECRET_KEY_FILE", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment,
        capture_output=True, text=True, timeout=120,
    )


PRODUCTION_ENV = {"PRODUCTION": "1", "ALLOWED_HOSTS": "planner.example.org"}


def test_production_mode_passes_check_deploy_without_warnings():
    secret = secrets.token_urlsafe(64)[:50]
    result = manage("check", "--deploy", "--fail-level", "WARNING", SECRET_KEY=secret, **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_mode_refuses_to_start_without_a_secret_key():
    result = manage("check", **PRODUCTION_ENV)
    assert result.returncode != 0
    assert "SECRET_KEY (or SECRET_KEY_FILE) is required when PRODUCTION=1" in result.stderr


def test_production_mode_refuses_to_start_without_allowed_hosts():
    result = manage("check", PRODUCTION="1", SECRET_KEY=secrets.token_urlsafe(64)[:50], ALLOWED_HOSTS="")
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is required when PRODUCTION=1" in result.stderr


PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client, override_settings
from django.test.utils import setup_test_environment
setup_test_environment()
# The manifest needs collectstatic; this probe is about headers, not static files.
override_settings(STORAGES={**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()
response = Client().get("/accounts/login/", secure=True, headers={"host": "planner.example.org"})
cookie = response.cookies["csrftoken"]
print(json.dumps({"status": response.status_code, "hsts": response.headers.get("Strict-Transport-Security"),
                  "csrf_secure": bool(cookie["secure"]), "insecure": Client().get("/accounts/login/",
                  headers={"host": "planner.example.org"}).status_code}))
"""


def test_production_mode_sends_hsts_secure_cookies_and_redirects_http():
    env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    env.update(PRODUCTION_ENV, SECRET_KEY=secrets.token_urlsafe(64)[:50], DJANGO_SETTINGS_MODULE="her2app.settings")
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["status"] == 200
    assert seen["hsts"].startswith("max-age=31536000") and "includeSubDomains" in seen["hsts"]
    assert seen["csrf_secure"], "cookies only travel over HTTPS"
    assert seen["insecure"] == 301, "plain HTTP is redirected to HTTPS"


# --- caching and redirects -----------------------------------------------------

def test_signed_in_pages_are_never_stored_by_the_browser(client, coordinator):
    """On a shared workstation, Back after signing out must not show a patient page from the cache."""
    client.force_login(coordinator)
    cache_control = client.get("/cases/").headers["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control


def test_sign_in_never_redirects_to_another_site(client, coordinator):
    response = client.post("/accounts/login/?next=https://evil.example/steal",
                           {"username": "cora", "password": password_of("cora"), "next": "https://evil.example/steal"})
    assert response.status_code == 302
    assert not response.url.startswith(("http://", "https://", "//")), response.url


def test_htmx_keeps_no_copy_of_patient_pages_in_local_storage(client, coordinator):
    """htmx's history cache would keep page snapshots in localStorage, beyond sign-out; it is off."""
    client.force_login(coordinator)
    page = client.get("/cases/").content.decode()
    config = json.loads(re.search(r"""name="htmx-config" content='([^']+)'""", page).group(1))
    assert config["historyCacheSize"] == 0 and config["refreshOnHistoryMiss"] is True
