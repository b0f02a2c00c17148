"""Issue 14 in a real browser: approve -> verify -> the nurse sees the plan ->
the coordinator lowers LVEF to 40% -> the nurse sees "on hold" with the reason
-> the oncologist revises -> the pharmacist verifies -> the nurse sees the new
version. Screenshots under artifacts/screenshots/."""

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from conftest import password_of
from tests.e2e.journey_helpers import assert_no_browser_errors, sign_in
from tests.e2e.test_journeys import verify_as_pharmacist
from tests.factories import plannable_case
from tests.web.plan_helpers import draft_plan

pytestmark = pytest.mark.e2e


def draft_starting_today(case, oncologist):
    return draft_plan(case, oncologist, start=date.today())


def approve_in_browser(page: Page, base: str, snap, plan_pk: int, name: str) -> None:
    sign_in(page, base, "oliver")
    page.goto(f"{base}/plans/{plan_pk}/")
    page.get_by_label("Your password (signature)").fill(password_of("oliver"))
    page.get_by_role("button", name="Sign and approve").click()
    expect(page.get_by_text("Approved, awaiting verification").first).to_be_visible()
    snap(name)


def nurse_worklist(page: Page, base: str):
    sign_in(page, base, "nina")
    expect(page.get_by_role("heading", level=1)).to_have_text("Upcoming infusions")
    return page.locator("section.card", has=page.get_by_role("heading", name=re.compile("^Today")))


def test_verify_hold_revise_and_verify_again(page, live_server, coordinator, oncologist, pharmacist, nurse, snap,
                                            console_errors):
    base = live_server.url
    case = plannable_case(oncologist, mrn="E2E-HOLD")
    plan = draft_starting_today(case, oncologist)

    approve_in_browser(page, base, snap, plan.pk, "oncologist-approved")
    # Not verified yet: the nurse does not see it.
    today = nurse_worklist(page, base)
    expect(page.get_by_text("E2E-HOLD")).to_have_count(0)

    verify_as_pharmacist(page, base, snap, "Hopper")
    today = nurse_worklist(page, base)
    expect(today.get_by_role("row", name=re.compile("Grace Hopper.*Trastuzumab"))).to_be_visible()
    snap("nurse-sees-the-verified-plan")

    # The coordinator records a new echocardiogram: LVEF 40% (reference S2: below 50%).
    sign_in(page, base, "cora")
    page.goto(f"{base}/cases/{case.pk}/step/fitness/")
    page.get_by_label("LVEF (%)").fill("40")
    page.get_by_role("button", name=re.compile("Save and continue")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review")
    snap("coordinator-lowers-lvef")

    today = nurse_worklist(page, base)
    held_row = today.locator("tr.held").first
    expect(held_row.locator("del").first).to_be_visible()
    expect(today.get_by_text("ON HOLD — do not administer").first).to_be_visible()
    expect(today.get_by_text(re.compile("tier fell from preferred to contraindicated", re.I)).first).to_be_visible()
    snap("nurse-worklist-on-hold")
    today.get_by_role("link", name="Open plan v1").first.click()
    expect(page.get_by_role("alert").filter(has_text="ON HOLD — do not administer")).to_be_visible()
    expect(page.get_by_text(re.compile("new blocking warning", re.I)).first).to_be_visible()
    snap("nurse-plan-on-hold")

    # The oncologist finds it on the list of plans on hold and revises it: the current data need a new
    # override reason, so the regimen is chosen again with one.
    sign_in(page, base, "oliver")
    page.get_by_role("link", name="Plans on hold").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Plans on hold")
    snap("oncologist-plans-on-hold")
    page.get_by_role("link", name="Review version 1").click()
    page.get_by_role("button", name="Revise (new version)").click()
    expect(page.get_by_text(re.compile("needs a new override reason"))).to_be_visible()
    snap("oncologist-revise-needs-reason")
    page.goto(f"{base}/plans/choose/{case.pk}/")
    page.get_by_role("radio", name="Tucatinib (TUKYSA) + trastuzumab", exact=True).check()
    page.get_by_label("Override reason").fill("Cardio-oncology review 29 Nov: benefit outweighs risk; echo every 4 weeks.")
    page.get_by_role("button", name="Create draft plan").click()
    expect(page.get_by_text("Draft: not approved").first).to_be_visible()
    page.get_by_label("Your password (signature)").fill(password_of("oliver"))
    page.get_by_role("button", name="Sign and approve").click()
    expect(page.get_by_text("Approved, awaiting verification").first).to_be_visible()
    snap("oncologist-approved-version-2")

    verify_as_pharmacist(page, base, snap, "Hopper")

    today = nurse_worklist(page, base)
    expect(today.get_by_role("link", name="Open plan v2").first).to_be_visible()
    expect(today.get_by_role("link", name="Open plan v1")).to_have_count(0)
    expect(today.locator(".override-box").first).to_contain_text("Cardio-oncology review 29 Nov")
    snap("nurse-sees-version-2")
    today.get_by_role("link", name="Open plan v2").first.click()
    expect(page.locator(".override-box")).to_contain_text("Approved over a blocking warning")
    snap("nurse-plan-version-2")
    assert_no_browser_errors(console_errors)
