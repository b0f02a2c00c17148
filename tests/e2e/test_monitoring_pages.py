"""Measurements and readiness in the browser: a nurse records a weight (a limit error first), opens today's
checklist and sees a red weight line; the oncologist overrides it with a reason (an empty reason first); the
nurse records the oncologist's go-ahead on the liver tests and the day is ready. Every page is audited by axe
(no serious or critical violation) and photographed."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from her2app.monitoring.models import Kind, PregnancyStatus
from her2app.plans import actions
from tests.e2e.journey_helpers import (
    assert_no_browser_errors, expect_weight_line_red, sign_in,
)
from tests.e2e.test_accessibility import audit
from tests.factories import plannable_case as make_case
from tests.web.administration.helpers import add_measurement
from tests.web.plan_helpers import draft_plan, verified

pytestmark = pytest.mark.e2e


@pytest.fixture
def plan_today(oncologist):
    """Tucatinib + trastuzumab from today, verified, for a 70 kg woman whose latest weight is 80 kg."""
    today = timezone.localdate()
    draft = draft_plan(make_case(oncologist), oncologist)
    actions.update_draft(draft, oncologist, draft.edit_version, today, "", [])
    plan, _ = actions.approve_plan(draft, oncologist)
    plan = verified(plan)  # nurses see a plan once a pharmacist has verified it (issue 14)
    case = plan.case
    for kind, value, days_ago in ((Kind.WEIGHT, 70, 20), (Kind.LVEF, 60, 14), (Kind.ALT, 24, 2), (Kind.AST, 22, 2),
                                  (Kind.BILIRUBIN, 9, 2)):
        add_measurement(case, kind, value, today - timedelta(days=days_ago), oncologist)
    PregnancyStatus.objects.create(case=case, basis="test", pregnant=False, measured_on=today - timedelta(days=1),
                                   recorded_by=oncologist)
    return plan


def test_nurse_sees_a_red_weight_line_the_oncologist_overrides_it(page, live_server, plan_today, nurse, oncologist,
                                                                    snap, console_errors):
    base, found = live_server.url, {}
    case, today = plan_today.case, timezone.localdate()
    day_url = f"{base}/monitoring/plans/{plan_today.pk}/readiness/{today.isoformat()}/"

    sign_in(page, base, "nina")
    page.goto(f"{base}/plans/nurse/{plan_today.pk}/")
    page.get_by_role("link", name="Readiness (\"OK to treat\") for each day").click()
    expect(page.get_by_role("heading", name="Readiness for each administration day")).to_be_visible()
    snap("plan days")
    audit(page, "plan days", found)
    page.get_by_role("link", name="Measurements").first.click()
    page.get_by_label("Weight (kg)").fill("400")
    page.locator("#series-weight").get_by_role("button", name="Save").click()
    expect(page.locator("#series-weight .field-error")).to_contain_text("between 20 and 350 kg")
    expect(page.get_by_label("Weight (kg)")).to_have_value("400")
    snap("weight refused")
    audit(page, "series with an error", found)
    page.get_by_label("Weight (kg)").fill("80")
    page.locator("#series-weight").get_by_role("button", name="Save").click()
    expect(page.locator("#series-weight table")).to_contain_text("80 kg")
    snap("series")
    audit(page, "series", found)

    page.goto(day_url)
    expect_weight_line_red(page, "80 kg")
    snap("day as nurse")
    audit(page, "readiness day, nurse", found)

    sign_in(page, base, "oliver")
    page.goto(day_url)
    page.get_by_role("button", name="Record the override").click()
    expect(page.locator(".readiness-line", has_text="Weight").locator(".field-error")).to_be_visible()
    snap("override without reason")
    audit(page, "readiness day, override error", found)
    page.get_by_label("Reason for the override").fill("Oedema; dry weight unchanged, doses stand.")
    page.get_by_role("button", name="Record the override").click()
    expect(page.locator(".readiness-line", has_text="Weight")).to_contain_text("Resolved: Override")
    snap("overridden")
    page.goto(f"{base}/cases/{case.pk}/")
    expect(page.locator("#monitoring-h")).to_be_visible()
    audit(page, "case detail with monitoring", found)

    sign_in(page, base, "nina")
    page.goto(day_url)
    page.get_by_label("Oncologist who gave the go-ahead").select_option(label="Oliver Oncologist")
    page.get_by_role("button", name="Record the go-ahead").click()
    expect(page.locator(".readiness-summary")).to_contain_text("Ready")
    snap("ready")
    audit(page, "readiness day, ready", found)

    assert found == {}, "axe found serious/critical violations:\n" + "\n".join(
        f"- {label}: {'; '.join(items)}" for label, items in found.items())
    assert_no_browser_errors(console_errors, "400 /monitoring/")
