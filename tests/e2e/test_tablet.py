"""Issue 16 item 8: nurse and oncologist pages at 768 px (a ward tablet) without horizontal page overflow;
wide tables scroll inside their own box. Screenshots of each page at 768 px are saved under artifacts/."""

import pytest
from playwright.sync_api import Page

from her2app.plans import actions
from tests.e2e.journey_helpers import sign_in
from tests.factories import plannable_case
from tests.web.plan_helpers import START, approved_plan, draft_plan, verified

pytestmark = pytest.mark.e2e
TABLET = {"width": 768, "height": 1024}


def assert_no_page_overflow(page: Page, where: str) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{where} overflows the 768 px page by {overflow} px"


def visit_all(page: Page, base: str, paths: list[tuple[str, str]], snap) -> None:
    page.set_viewport_size(TABLET)
    for name, path in paths:
        page.goto(base + path)
        snap(f"768-{name}")
        assert_no_page_overflow(page, name)


def test_oncologist_pages_fit_768_px(page, live_server, coordinator, oncologist, snap, console_errors):
    case = plannable_case(coordinator)
    draft = draft_plan(case, oncologist)
    other = plannable_case(coordinator, mrn="MRN-7002")
    approved = approved_plan(other, oncologist)
    sign_in(page, live_server.url, "oliver")
    visit_all(page, live_server.url, [
        ("case-list", "/cases/"), ("case-detail", f"/cases/{case.pk}/"),
        ("review", f"/cases/{case.pk}/step/review/"), ("choose", f"/plans/choose/{other.pk}/"),
        ("draft-plan", f"/plans/{draft.pk}/"), ("edit-draft", f"/plans/{draft.pk}/edit/"),
        ("approved-plan", f"/plans/{approved.pk}/"),
    ], snap)
    assert console_errors == []


def test_nurse_pages_fit_768_px(page, live_server, coordinator, oncologist, nurse, snap, console_errors):
    plan = draft_plan(plannable_case(coordinator), oncologist)
    actions.update_draft(plan, oncologist, plan.edit_version, START, "", [])
    plan, _ = actions.approve_plan(plan, oncologist)
    plan = verified(plan)  # nurses see plans a pharmacist released
    sign_in(page, live_server.url, "nina")
    visit_all(page, live_server.url, [("worklist", "/plans/nurse/"), ("nurse-plan", f"/plans/nurse/{plan.pk}/")],
              snap)
    assert console_errors == []
