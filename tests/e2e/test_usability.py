"""Issue 16 in the browser: the error summary takes focus and sits in the viewport, after an htmx swap and
after a full page load."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from conftest import password_of
from tests.e2e.journey_helpers import (
    SAVE_AND_CONTINUE, assert_no_browser_errors, continue_to, sign_in,
)
from tests.factories import make_case
from tests.web.plan_helpers import draft_plan
from tests.factories import plannable_case as make_planned_case
from tests.web.test_wizard_review import FIT, HER2_POSITIVE, REFRACTORY

pytestmark = pytest.mark.e2e


def assert_summary_focused_in_view(page: Page) -> None:
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary).to_be_focused()
    box = summary.bounding_box()
    viewport = page.viewport_size
    assert -2 <= box["y"] < viewport["height"] / 2, f"the summary is at the top of the viewport, not at {box['y']}"


def save_expecting_errors(page: Page) -> None:
    """Save a step the server refuses: the error summary takes focus."""
    page.get_by_role("button", name=SAVE_AND_CONTINUE).click()
    assert_summary_focused_in_view(page)


def test_error_summary_after_an_htmx_step_swap(page, live_server, coordinator, snap, console_errors):
    case = make_case(coordinator)
    sign_in(page, live_server.url, "cora")
    page.goto(f"{live_server.url}/cases/{case.pk}/step/fitness/")
    page.get_by_label("Weight (kg)").fill("640")
    save_expecting_errors(page)
    expect(page.locator("#error-summary")).to_contain_text("Weight must be a number from 20 to 350 kg.")
    snap("fitness-error-summary")
    page.locator("#error-summary a", has_text="Weight").click()
    expect(page.get_by_label("Weight (kg)")).to_be_focused()
    expect(page.get_by_label("Weight (kg)")).to_have_value("640")
    assert console_errors == []


def test_error_summary_after_a_full_reload_on_signing(page, live_server, coordinator, oncologist, snap, console_errors):
    plan = draft_plan(make_planned_case(coordinator), oncologist)
    sign_in(page, live_server.url, "oliver")
    page.goto(f"{live_server.url}/plans/{plan.pk}/")
    page.get_by_label(re.compile("password", re.I)).fill("not my password")
    page.get_by_role("button", name="Sign and approve").click()
    assert_summary_focused_in_view(page)
    snap("sign-error-summary")
    page.locator("#error-summary a").first.click()
    expect(page.get_by_label(re.compile("password", re.I))).to_be_focused()
    assert [error for error in console_errors if "400" not in error] == []


def test_double_click_on_send_gives_one_action_and_one_message(page, live_server, coordinator, console_errors):
    case = make_case(coordinator, profile=HER2_POSITIVE, clinical=FIT, lines=REFRACTORY, primary_site="left_colon")
    sign_in(page, live_server.url, "cora")
    page.goto(f"{live_server.url}/cases/{case.pk}/step/review/")
    page.get_by_role("button", name="Send to oncologist").dblclick()
    expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/$"))
    expect(page.locator(".messages li")).to_have_text(["Case sent to the oncologist for review."])
    assert console_errors == []


def test_send_checklist_blocks_sending_and_links_to_the_missing_weight(page, live_server, coordinator, snap,
                                                                       console_errors):
    fit = {**FIT, "weight_kg": None}
    case = make_case(coordinator, profile=HER2_POSITIVE, clinical=fit, lines=REFRACTORY, primary_site="left_colon")
    sign_in(page, live_server.url, "cora")
    page.goto(f"{live_server.url}/cases/{case.pk}/step/review/")
    checklist = page.locator("#send-checklist")
    expect(checklist).to_contain_text("Sending is blocked")
    expect(page.get_by_role("button", name="Send to oncologist")).to_have_count(0)
    snap("checklist-blocked")
    checklist.get_by_role("link", name=re.compile("Weight")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fitness and safety")
    page.get_by_label("Weight (kg)").fill("70")
    page.get_by_role("button", name=SAVE_AND_CONTINUE).click()
    expect(page.locator("#send-checklist")).not_to_contain_text("Sending is blocked")
    page.get_by_role("button", name="Send to oncologist").click()
    expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/$"))
    assert console_errors == []


def test_a_duplicate_mrn_offers_the_existing_patient(page, live_server, coordinator, snap, console_errors):
    first = make_case(coordinator, mrn="DUP-0001", given_name="Helen", family_name="Marsh")
    sign_in(page, live_server.url, "cora")
    page.goto(f"{live_server.url}/cases/new/")
    page.get_by_label("MRN").fill("DUP-0001")
    page.get_by_label("Given name").fill("Helen")
    page.get_by_label("Family name").fill("Marsh")
    page.get_by_label("Date of birth").fill("1961-03-14")
    page.get_by_label("Sex").select_option("female")
    save_expecting_errors(page)
    expect(page.locator("#existing-patient")).to_contain_text("MRN DUP-0001 is already on file")
    snap("duplicate-mrn")
    page.get_by_role("button", name="Start a new case for this patient").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tumour and molecular profile")
    expect(page.locator(".wizard-case")).to_contain_text("Helen")
    assert first.patient.cases.count() == 2
    assert console_errors == []


def test_expired_session_signs_in_full_page_and_offers_back_the_typed_weight(page, live_server, coordinator, snap,
                                                                            console_errors):
    case = make_case(coordinator, clinical={"weight_kg": 70})
    sign_in(page, live_server.url, "cora")
    step = f"{live_server.url}/cases/{case.pk}/step/fitness/"
    page.goto(step)
    page.get_by_label("Weight (kg)").fill("72.5")
    kept = [cookie for cookie in page.context.cookies() if cookie["name"] != settings.SESSION_COOKIE_NAME]
    page.context.clear_cookies()  # the session has expired; the CSRF cookie stays, as it does in a browser
    page.context.add_cookies(kept)
    page.get_by_role("button", name=SAVE_AND_CONTINUE).click()

    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    expect(page.locator("header.site-header")).to_have_count(1)
    snap("expired-sign-in")
    page.get_by_label("Username").fill("cora")
    page.get_by_label("Password").fill(password_of("cora"))
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(step)
    expect(page.get_by_label("Weight (kg)")).to_have_value("70.0"), "the form shows what is saved"
    offer = page.locator("#unsaved-offer")
    expect(offer).to_contain_text("You typed values here that were not saved")
    snap("unsaved-offer")
    offer.get_by_role("button", name="Put back what I typed").click()
    expect(page.get_by_label("Weight (kg)")).to_have_value("72.5")
    continue_to(page, "Review")
    case.clinical.refresh_from_db()
    assert str(case.clinical.weight_kg) == "72.5"
    assert_no_browser_errors(console_errors)
