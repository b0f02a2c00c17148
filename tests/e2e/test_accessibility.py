"""Accessibility: an axe-core audit of every page, and the whole wizard by keyboard alone.

Goal: zero serious or critical axe violations on every page a person uses
(Django's own admin is out of scope), including pages showing form errors.
"""

import re
from datetime import date

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import Page, expect

from conftest import password_of
from her2app.cases.models import ClinicalStatus
from her2app.meetings.models import AgendaItem, Meeting
from her2app.plans import actions, holds
from tests.e2e.journey_helpers import (
    assert_no_browser_errors, sign_in, sign_in_with_the_form, sign_out,
)
from tests.web.board_fixtures import make_board_case, make_engine_plan

pytestmark = pytest.mark.e2e
BLOCKING_IMPACTS = ("serious", "critical")


# The rules that can report a serious or critical violation: a violation's impact is the worst impact among its
# failing checks, so a rule whose checks are all minor or moderate cannot. The rest are not run.
RUN_BLOCKING_RULES = """async (blocking) => {
    const rules = axe._audit.rules.filter(rule => rule.enabled && [...rule.any, ...rule.all, ...rule.none]
        .some(check => blocking.includes(axe._audit.data.checks[check.id || check].impact)));
    const results = await axe.run(document, {runOnly: {type: "rule", values: rules.map(rule => rule.id)},
                                             resultTypes: ["violations"]});
    return results.violations.filter(violation => blocking.includes(violation.impact)).map(violation =>
        `${violation.id} (${violation.impact}): ${JSON.stringify(violation.nodes.slice(0, 3).map(
            node => node.target.join(", ")))}`);
}"""


def audit(page: Page, label: str, found: dict[str, list[str]]) -> None:
    """Run axe-core on the current page; keep serious and critical violations under `label`."""
    if not page.evaluate("typeof axe === 'object'"):  # not yet in this document
        page.evaluate(AXE_SCRIPT)
    violations = page.evaluate(RUN_BLOCKING_RULES, list(BLOCKING_IMPACTS))
    if violations:
        found.setdefault(label, []).extend(violations)


def visit(page: Page, snap, base: str, path: str, label: str, found: dict) -> None:
    response = page.goto(base + path)
    assert response is not None and response.status < 500, f"{path} answered {response and response.status}"
    snap(label)
    audit(page, label, found)


@pytest.fixture
def board_data(coordinator, oncologist, pharmacist):
    """A refractory HER2-positive case with an approved, verified and printed plan, a second case with a
    draft, a plan waiting for verification, a plan held after a weight change, and a tumour-board meeting
    with the first two on the agenda."""
    planned = make_board_case(coordinator)
    approved, _ = actions.verify_plan(make_engine_plan(planned, oncologist, approve=True), pharmacist)
    waiting = make_engine_plan(make_board_case(coordinator, mrn="MRN-B-1003", given="Ada", family="Wait"),
                               oncologist, approve=True)
    held_case = make_board_case(coordinator, mrn="MRN-B-1004", given="Hal", family="Held")
    held, _ = actions.verify_plan(make_engine_plan(held_case, oncologist, approve=True), pharmacist)
    ClinicalStatus.objects.filter(case=held_case).update(weight_kg=50)
    holds.review_case(held_case, coordinator)
    drafted = make_board_case(coordinator, mrn="MRN-B-1002", given="Iris", family="Kettle")
    draft = make_engine_plan(drafted, oncologist)
    meeting = Meeting.objects.create(date=date.today(), location="Room 4", created_by=coordinator)
    for position, case in enumerate((planned, drafted), start=1):
        AgendaItem.objects.create(meeting=meeting, case=case, position=position, question="Next line?")
    return {"planned": planned, "approved": approved, "drafted": drafted, "draft": draft, "meeting": meeting,
            "waiting": waiting, "held": held}


def test_every_page_has_no_serious_or_critical_axe_violations(
    page, live_server, oncologist, pharmacist, nurse, board_data, snap, console_errors
):
    base, found = live_server.url, {}
    case, draft, approved = board_data["drafted"], board_data["draft"], board_data["approved"]
    meeting = board_data["meeting"]

    visit(page, snap, base, "/accounts/login/", "login", found)
    page.get_by_label("Username").fill("oliver")
    page.get_by_label("Password").fill("wrong-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Please enter a correct username and password.")).to_be_visible()
    snap("login-error")
    audit(page, "login with error", found)

    sign_in_with_the_form(page, base, "oliver", password_of("oliver"))
    oncologist_pages = {
        "case list": "/cases/",
        "case search, no match": "/cases/?q=nobody-here",
        "new case": "/cases/new/",
        "start a case from a FHIR bundle": "/fhir/import/",
        "step patient": f"/cases/{case.pk}/step/patient/",
        "step tumour": f"/cases/{case.pk}/step/tumour/",
        "step history": f"/cases/{case.pk}/step/history/",
        "step fitness": f"/cases/{case.pk}/step/fitness/",
        "step review": f"/cases/{case.pk}/step/review/",
        "case detail": f"/cases/{case.pk}/",
        "case history": f"/cases/{case.pk}/history/",
        "choose regimen": f"/plans/choose/{case.pk}/",
        "draft plan": f"/plans/{draft.pk}/",
        "edit draft plan": f"/plans/{draft.pk}/edit/",
        "approved plan": f"/plans/{approved.pk}/",
        "plans on hold": "/plans/on-hold/",
        "held plan": f"/plans/{board_data['held'].pk}/",
        "meetings": "/meetings/",
        "new meeting": "/meetings/new/",
        "meeting": f"/meetings/{meeting.pk}/",
        "edit meeting": f"/meetings/{meeting.pk}/edit/",
        "re-check": "/recheck/",
        "not found": "/cases/999999/",
    }
    for label, path in oncologist_pages.items():
        visit(page, snap, base, path, label, found)

    page.goto(f"{base}/cases/new/")
    page.get_by_role("button", name=re.compile("Save and continue")).click()
    expect(page.locator(".field-error").first).to_be_visible()
    snap("new case with errors")
    audit(page, "new case with errors", found)
    page.goto(f"{base}/plans/{draft.pk}/")
    page.get_by_role("button", name="Sign and approve").click()
    expect(page.locator(".field-error").first).to_be_visible()
    snap("draft plan with errors")
    audit(page, "draft plan, signature error", found)
    audit_issue_16_states(page, snap, base, board_data, found)
    sign_out(page)

    sign_in(page, base, "phil")
    waiting = board_data["waiting"]
    for label, path in {"plans to verify": "/plans/verification/",
                        "verification": f"/plans/{waiting.pk}/verify/"}.items():
        visit(page, snap, base, path, label, found)
    page.get_by_role("button", name="Return the plan").click()
    expect(page.locator(".field-error").first).to_be_visible()
    snap("return without a reason")
    audit(page, "verification, return without a reason", found)

    sign_in(page, base, "nina")
    for label, path in {"nurse worklist": "/plans/nurse/", "nurse plan": f"/plans/nurse/{approved.pk}/",
                        "nurse plan on hold": f"/plans/nurse/{board_data['held'].pk}/",
                        "forbidden": "/cases/"}.items():
        visit(page, snap, base, path, label, found)

    assert found == {}, "axe found serious/critical violations:\n" + "\n".join(
        f"- {label}: {'; '.join(items)}" for label, items in found.items())
    assert_no_browser_errors(console_errors, "400 /cases/new/", "400 /approve/", "404 /cases/999999/",
                             "403 /cases/", "400 /return/")


def audit_issue_16_states(page: Page, snap, base: str, board_data: dict, found: dict) -> None:
    """The page states issue 16 added: an MRN already on file, a weight that needs a confirmation tick,
    the send checklist blocking a case without weight, and the review at 768 px."""
    page.goto(f"{base}/cases/new/")
    page.get_by_label("MRN").fill("MRN-B-1002")
    page.get_by_label("Given name").fill("Iris")
    page.get_by_label("Family name").fill("Kettle")
    page.get_by_label("Date of birth").fill("1963-05-20")
    page.get_by_role("button", name=re.compile("Save and continue")).click()
    expect(page.locator("#existing-patient")).to_be_visible()
    snap("new case, MRN on file")
    audit(page, "new case, MRN already on file", found)

    missing_weight = make_board_case(board_data["drafted"].created_by, mrn="MRN-B-1603")
    ClinicalStatus.objects.filter(case=missing_weight).update(weight_kg=None)
    visit(page, snap, base, f"/cases/{missing_weight.pk}/step/review/", "review, send blocked", found)
    expect(page.locator("#send-checklist")).to_contain_text("Sending is blocked")

    page.goto(f"{base}/cases/{missing_weight.pk}/step/fitness/")
    page.get_by_label("Weight (kg)").fill("240")
    page.get_by_role("button", name=re.compile("Save and continue")).click()
    expect(page.get_by_label("I have checked this weight")).to_be_visible()
    snap("fitness, weight question")
    audit(page, "fitness, weight needs a tick", found)
    page.get_by_label("I have checked this weight").check()
    page.get_by_role("button", name=re.compile("Save and continue")).click()
    expect(page).to_have_url(re.compile(r"/step/review/$"))
    assert ClinicalStatus.objects.get(case=missing_weight).weight_kg == 240

    page.set_viewport_size({"width": 768, "height": 1024})
    visit(page, snap, base, f"/cases/{board_data['drafted'].pk}/step/review/", "review at 768 px", found)
    visit(page, snap, base, f"/plans/{board_data['draft'].pk}/", "draft plan at 768 px", found)
    page.set_viewport_size({"width": 1280, "height": 800})


def focus_is_visible(page: Page) -> bool:
    return page.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
                   return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none'; }"""
    )


IS_FIELD = "(css) => document.activeElement.matches(css)"
IS_CONTROL_NAMED = """(name) => { const el = document.activeElement;
    return ['BUTTON', 'A'].includes(el.tagName) && el.textContent.trim().startsWith(name); }"""


def tab_to(page: Page, matches: str, arg: str, limit: int = 80) -> None:
    """Press Tab until `matches(arg)` holds for the focused element; every stop on the way must show focus."""
    invisible = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        if not focus_is_visible(page):
            invisible.append(page.evaluate(
                "document.activeElement.id || document.activeElement.outerHTML.slice(0, 60)"))
        if page.evaluate(matches, arg):
            assert invisible == [], f"no visible focus on: {invisible}"
            return
    raise AssertionError(f"Tab never reached {arg!r} within {limit} presses")


def type_into(page: Page, field_id: str, text: str) -> None:
    tab_to(page, IS_FIELD, f"#{field_id}")
    page.keyboard.type(text)


def choose(page: Page, field_id: str, keys: str, expected_value: str) -> None:
    """Pick a <select> option by type-ahead, as a keyboard user does."""
    tab_to(page, IS_FIELD, f"#{field_id}")
    page.keyboard.type(keys)
    assert page.locator(f"#{field_id}").input_value() == expected_value, f"{field_id}: typed {keys!r}"


def press_button(page: Page, name: str) -> None:
    tab_to(page, IS_CONTROL_NAMED, name)
    page.keyboard.press("Enter")


def test_the_whole_wizard_by_keyboard_alone(page, live_server, coordinator, snap, console_errors):
    sign_in(page, live_server.url, "cora")
    page.goto(f"{live_server.url}/cases/")
    press_button(page, "New case")
    expect(page.get_by_role("heading", level=1)).to_have_text("Patient")
    type_into(page, "id_mrn", "KB-2026")
    type_into(page, "id_given_name", "Kim")
    type_into(page, "id_family_name", "Keys")
    type_into(page, "id_date_of_birth", "03041959")
    choose(page, "id_sex", "F", "female")
    snap("keyboard-patient")
    press_button(page, "Save and continue")

    expect(page.get_by_role("heading", level=1)).to_have_text("Tumour and molecular profile")
    choose(page, "id_primary_site", "L", "left_colon")
    choose(page, "id_her2_ihc", "3", "3+")
    type_into(page, "id_her2_ihc_percent_cells", "80")
    for gene in ("kras", "nras"):
        choose(page, f"id_{gene}", "W", "wild_type")
        for exon in range(3):
            tab_to(page, IS_FIELD, f"#id_{gene}_exons_{exon}")
            page.keyboard.press("Space")
            expect(page.locator(f"#id_{gene}_exons_{exon}")).to_be_checked()
    choose(page, "id_braf_v600e", "W", "wild_type")
    choose(page, "id_msi", "MSS", "mss")
    snap("keyboard-tumour")
    press_button(page, "Save and continue")

    expect(page.get_by_role("heading", level=1)).to_have_text("Treatment history")
    for agent in ("fluoropyrimidine", "oxaliplatin", "irinotecan"):
        tab_to(page, IS_FIELD, f"#lines-0 input[value={agent}]")
        page.keyboard.press("Space")
        expect(page.locator(f"#lines-0 input[value={agent}]")).to_be_checked()
    snap("keyboard-history")
    press_button(page, "Save and continue")

    expect(page.get_by_role("heading", level=1)).to_have_text("Fitness and safety")
    type_into(page, "id_weight_kg", "70")
    type_into(page, "id_ecog", "1")
    choose(page, "id_fit_for_intensive_therapy", "Y", "true")
    type_into(page, "id_lvef_percent", "60")
    for field_id in ("id_ild_history", "id_pregnant", "id_breastfeeding", "id_strong_cyp2c8_inhibitor"):
        choose(page, field_id, "N", "false")
    snap("keyboard-fitness")
    press_button(page, "Save and continue")

    expect(page.get_by_role("heading", level=1)).to_have_text("Review")
    expect(page.get_by_role("article", name="Tucatinib (TUKYSA) + trastuzumab: Preferred")).to_be_visible()
    press_button(page, "Send to oncologist")
    expect(page.get_by_text("Ready for review").first).to_be_visible()
    snap("keyboard-sent")
    assert_no_browser_errors(console_errors)


def test_the_audit_reports_a_serious_violation_when_there_is_one(page):
    """Guard for the audit itself: an unlabelled field and an image without text are caught."""
    page.set_content('<html lang="en"><title>t</title><main><img src="data:,"><input type="text"></main></html>')
    found: dict[str, list[str]] = {}
    audit(page, "broken page", found)
    rules = " ".join(found.get("broken page", []))
    assert "image-alt" in rules and "label" in rules, found
