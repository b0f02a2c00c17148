"""The administration record in the browser (issue 15): the plan started 30 days ago and cycle 1 was given, so
cycle 2 (planned 9 days ago) is 9 days late: the schedule proposes the D8 trastuzumab re-load. The nurse opens
today's administration and sees a red weight line; the oncologist overrides it and confirms the re-load; the
nurse gives the dose with a second nurse's check (a password). Every new page is audited by axe."""

from datetime import time, timedelta
from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Group, User
from django.utils import timezone
from playwright.sync_api import expect

from her2app.accounts import roles
from her2app.administration.models import Administration
from her2app.monitoring.models import Kind, Measurement, PregnancyStatus
from her2app.monitoring.readiness import day_readiness, record_decision
from her2app.plans import actions
from tests.e2e.journey_helpers import assert_no_browser_errors, sign_in, sign_out, snap  # noqa: F401
from tests.e2e.test_accessibility import audit
from tests.factories import plannable_case as make_case
from tests.web.plan_helpers import draft_plan, media_root, verified  # noqa: F401

pytestmark = pytest.mark.e2e


@pytest.fixture
def late_plan(oncologist, nurse):
    today = timezone.localdate()
    start = today - timedelta(days=30)
    draft = draft_plan(make_case(oncologist), oncologist)
    actions.update_draft(draft, oncologist, draft.edit_version, start, "", [])
    plan = verified(actions.approve_plan(draft, oncologist)[0])
    for kind, value, unit, on in ((Kind.WEIGHT, 70, "kg", start - timedelta(days=2)),
                                  (Kind.LVEF, 60, "%", start - timedelta(days=14)),
                                  (Kind.ALT, 24, "U/L", today - timedelta(days=10)),
                                  (Kind.AST, 22, "U/L", today - timedelta(days=10)),
                                  (Kind.BILIRUBIN, 9, "µmol/L", today - timedelta(days=10)),
                                  (Kind.WEIGHT, 80, "kg", today - timedelta(days=10))):
        Measurement.objects.create(case=plan.case, kind=kind, value=Decimal(value), unit=unit, measured_on=on,
                                   recorded_by=oncologist)
    PregnancyStatus.objects.create(case=plan.case, basis="test", pregnant=False, measured_on=start - timedelta(days=1),
                                   recorded_by=oncologist)
    second = User.objects.create_user(username="nadia", password="nadia-test-pass", first_name="Nadia",
                                      last_name="Second")
    second.groups.add(Group.objects.get(name=roles.NURSE))
    # cycle 1 was given on its day, before the weight changed
    readiness = day_readiness(plan, start)
    for checked in readiness.lines:
        if checked.blocks_given:
            record_decision(readiness, checked, oncologist=oncologist, reason="Reviewed", recorded_by=oncologist)
    Administration.objects.create(plan=plan, drug="trastuzumab", cycle=1, day=1, scheduled_on=start, status="given",
                                  given_on=start, dose_mg=Decimal("560"), started_at=time(9), ended_at=time(10, 30),
                                  batch="LOT-C1", recorded_by=nurse, checked_by=second)
    return plan


def test_nurse_gives_a_late_reload_after_the_override_and_a_second_nurses_check(
        page, live_server, late_plan, nurse, oncologist, snap, console_errors):
    axe, base, found = Axe(), live_server.url, {}
    plan_url = f"{base}/administration/plans/{late_plan.pk}/"
    late = page.locator("#dose-trastuzumab-2-1")

    sign_in(page, base, "nina", "nina-test-pass")
    page.goto(f"{base}/plans/nurse/{late_plan.pk}/")
    page.get_by_role("link", name="Administration record").click()
    expect(late).to_contain_text("9 days")
    expect(late).to_contain_text("Awaits the oncologist's confirmation")
    snap("administration plan, re-load proposed")
    audit(page, axe, "administration plan", found)
    late.get_by_role("link", name="Record").click()
    expect(page.locator(".readiness-summary")).to_contain_text("Not ready")
    snap("administration record, not ready")
    audit(page, axe, "administration record", found)
    page.get_by_role("link", name="Open the readiness checklist").click()
    expect(page.locator(".readiness-line", has_text="Weight")).to_contain_text("Red: Not OK")
    sign_out(page)

    sign_in(page, base, "oliver", "oliver-test-pass")
    page.goto(f"{base}/monitoring/plans/{late_plan.pk}/readiness/"
              f"{(late_plan.start_date + timedelta(days=21)).isoformat()}/")
    page.get_by_label("Reason for the override").fill("Oedema; dry weight unchanged, doses stand.")
    page.get_by_role("button", name="Record the override").click()
    expect(page.locator(".readiness-line", has_text="Weight")).to_contain_text("Resolved: Override")
    while page.get_by_role("button", name="Record the go-ahead").count():
        page.get_by_role("button", name="Record the go-ahead").first.click()
    expect(page.locator(".readiness-summary")).to_contain_text("Ready")
    page.goto(plan_url)
    late.get_by_role("button", name="Confirm re-load").click()
    expect(late).to_contain_text("Re-load confirmed")
    snap("re-load confirmed")
    sign_out(page)

    sign_in(page, base, "nina", "nina-test-pass")
    page.goto(plan_url)
    late.get_by_role("link", name="Record").click()
    expect(page.locator(".readiness-summary")).to_contain_text("Ready")
    page.get_by_label("Start time").fill("09:00")
    page.get_by_label("End time").fill("10:30")
    page.get_by_label("Batch or lot number").fill("LOT-C2")
    page.get_by_label("Second nurse (independent check)").select_option(label="Nadia Second")
    page.get_by_label("Second nurse's password").fill("wrong-password")
    page.get_by_role("button", name="Record").click()
    expect(page.locator(".field-error").first).to_contain_text("password is not correct")
    expect(page.get_by_label("Batch or lot number")).to_have_value("LOT-C2")
    audit(page, axe, "administration record with an error", found)
    page.get_by_label("Second nurse's password").fill("nadia-test-pass")
    page.get_by_role("button", name="Record").click()
    expect(page.locator("table").nth(1)).to_contain_text("LOT-C2")
    snap("given")
    audit(page, axe, "administration plan after giving", found)

    given = Administration.objects.get(plan=late_plan, cycle=2, drug="trastuzumab")
    assert given.dose_mg == 560 and given.checked_by.username == "nadia"  # the 8 mg/kg re-load for 70 kg
    assert found == {}, "axe found serious/critical violations:\n" + "\n".join(
        f"- {label}: {'; '.join(items)}" for label, items in found.items())
    assert_no_browser_errors(console_errors, "400 /administration/")
