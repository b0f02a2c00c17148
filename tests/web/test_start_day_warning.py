"""Issue 16 item 10: a start date on a weekend, or on a closure day (institutional setting PLAN_CLOSURE_DAYS),
is flagged on the plan pages; a weekday start is not."""

from datetime import date

import pytest

from her2app.plans import actions
from her2app.plans.start_days import start_day_warning
from tests.factories import plannable_case
from tests.web.plan_helpers import draft_plan


@pytest.mark.parametrize("day, expected", [
    (date(2026, 12, 1), ""),
    (date(2026, 12, 5), "The start date, Saturday 5 December 2026, falls on a weekend: check that the unit is open."),
    (date(2026, 12, 6), "The start date, Sunday 6 December 2026, falls on a weekend: check that the unit is open."),
    (date(2026, 12, 25), "The start date, Friday 25 December 2026, is a closure day of this hospital: check it."),
    (None, ""),
])
def test_start_day_warning(settings, day, expected):
    settings.PLAN_CLOSURE_DAYS = ["2026-12-25"]
    assert start_day_warning(day) == expected


def test_the_plan_page_flags_a_weekend_start(client, coordinator, oncologist):
    plan = draft_plan(plannable_case(coordinator), oncologist)
    client.force_login(oncologist)
    assert "start-day-warning" not in client.get(f"/plans/{plan.pk}/").content.decode()
    actions.update_draft(plan, oncologist, plan.edit_version, date(2026, 12, 5), "", [])
    html = client.get(f"/plans/{plan.pk}/").content.decode()
    assert "Saturday 5 December 2026, falls on a weekend" in html
