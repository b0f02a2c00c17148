"""Browser helpers shared by the journey and accessibility tests: signing in
(as a user, with a session made on the server; or through the form) and out,
filling the wizard steps, and a screenshot of every page visited (saved under
artifacts/screenshots/<test>/, kept as CI artifacts) with the page's text
beside it (the `snap` fixture in conftest.py), checked for engine codes (tests/internal_codes.py)."""

import base64
import re
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from playwright.sync_api import CDPSession, Page, expect


ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
SAVE_AND_CONTINUE = re.compile("Save and continue")
REFRACTORY_LINES = (("Fluoropyrimidine", "Oxaliplatin"), ("Fluoropyrimidine", "Irinotecan"))


def full_page_png(devtools: CDPSession) -> bytes:
    """The whole page as a PNG, from Chromium's own capture with its fast PNG encoder: Playwright's
    page.screenshot(full_page=True) compresses harder and takes about twice as long on a long page."""
    size = devtools.send("Page.getLayoutMetrics")["cssContentSize"]
    shot = devtools.send("Page.captureScreenshot", {
        "format": "png", "optimizeForSpeed": True, "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1},
    })
    return base64.b64decode(shot["data"])


def sign_in(page: Page, base_url: str, username: str) -> None:
    """Become `username` in this browser, as after the sign-in form: any earlier user's cookies go, a session
    made on the server for `username` comes in, and their start page opens. The form itself is exercised by
    sign_in_with_the_form (the accessibility test) and the expired-session test."""
    client = Client()
    client.force_login(User.objects.get(username=username))
    session = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.clear_cookies()
    page.context.add_cookies([{"name": session.key, "value": session.value, "url": base_url, "httpOnly": True,
                               "sameSite": "Lax"}])
    page.set_default_timeout(10_000)
    page.goto(f"{base_url}/")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def sign_in_with_the_form(page: Page, base_url: str, username: str, password: str) -> None:
    page.set_default_timeout(10_000)
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_label("Username")).to_be_visible()


def continue_to(page: Page, heading: str) -> None:
    page.get_by_role("button", name=SAVE_AND_CONTINUE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)


def fill_patient(page: Page, mrn: str, given: str, family: str, born: str, sex: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text("Patient")
    page.get_by_label("MRN").fill(mrn)
    page.get_by_label("Given name").fill(given)
    page.get_by_label("Family name").fill(family)
    page.get_by_label("Date of birth").fill(born)
    page.get_by_label("Sex").select_option(sex)


def fill_tumour(page: Page, ihc: str, percent: str) -> None:
    page.get_by_label("Primary tumour site").select_option("left_colon")
    page.get_by_label("HER2 IHC score").select_option(ihc)
    page.get_by_label("HER2 IHC % of tumour cells").fill(percent)
    for gene in ("KRAS", "NRAS"):
        page.get_by_role("combobox", name=gene, exact=True).select_option("wild_type")
        for exon in (2, 3, 4):
            page.get_by_role("group", name=f"{gene} exons tested").get_by_label(f"Exon {exon}").check()
    page.get_by_role("combobox", name="BRAF V600E", exact=True).select_option("wild_type")
    page.get_by_role("combobox", name="MSI", exact=True).select_option("mss")


def fill_history(page: Page, lines=REFRACTORY_LINES) -> None:
    for index, agents in enumerate(lines):
        if index:
            page.get_by_role("button", name="Add line").click()
        line = page.locator(f"#lines-{index}")
        expect(line).to_be_visible()
        for agent in agents:
            line.get_by_label(agent).check()
        line.get_by_label("Reason stopped").select_option("progression")


def fill_fitness(page: Page, weight: str = "70", pregnant: str = "false") -> None:
    page.get_by_label("Weight (kg)").fill(weight)
    page.get_by_label("ECOG performance status").fill("1")
    page.get_by_label("Fit for intensive chemotherapy").select_option("true")
    page.get_by_label("LVEF (%)").fill("60")
    page.get_by_label("History of ILD / pneumonitis").select_option("false")
    page.get_by_label("Hepatic impairment (Child-Pugh)").select_option("none")
    page.get_by_label("Pregnant").select_option(pregnant)
    page.get_by_label("Breastfeeding").select_option("false")
    page.get_by_label("Taking a strong CYP2C8 inhibitor").select_option("false")


def assert_no_browser_errors(errors: list[str], *expected: str) -> None:
    """No script/CSP errors and no failed responses, except those listed as "STATUS PATH"
    (e.g. "400 /plans/choose/" for a form we submitted wrong on purpose)."""

    def is_expected(error: str) -> bool:
        return any(error.startswith(status + " ") and path in error
                   for status, path in (item.split(" ", 1) for item in expected))

    unexpected = [error for error in errors if not is_expected(error)]
    assert unexpected == [], unexpected


def expect_weight_line_red(page: Page, weight: str):
    """The day's readiness checklist says Not ready, its weight line red with `weight`; returns the line."""
    expect(page.locator(".readiness-summary")).to_contain_text("Not ready")
    line = page.locator(".readiness-line", has_text="Weight")
    expect(line).to_contain_text("Red: Not OK")
    expect(line).to_contain_text(weight)
    return line
