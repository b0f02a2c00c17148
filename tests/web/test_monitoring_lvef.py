"""LVEF monitoring (M1, issue 15 item 3) through `her2app.monitoring.lvef_status(case)`: LVEF due 12 weeks
after the last one; a withhold criterion met (16 points from baseline, or below the institutional lower limit
of normal with 10 points) withholds trastuzumab with its reason and a recheck in 4 weeks; a decline lasting
more than 8 weeks or a 4th hold stops it. The plan's state is never changed here.

The plan: tucatinib + trastuzumab, first dose 1 Dec 2026; baseline LVEF on 20 Nov 2026."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from her2app import monitoring
from her2app.monitoring.models import Kind
from her2app.plans import actions
from her2app.plans.models import PlanState
from tests.factories import plannable_case as make_case
from tests.web.administration.helpers import add_measurement
from tests.web.plan_helpers import START, approved_plan, draft_plan

pytestmark = pytest.mark.django_db
BASELINE_ON = date(2026, 11, 20)
LATER = date(2027, 1, 10)


@pytest.fixture
def plan(oncologist):
    return approved_plan(make_case(oncologist), oncologist)


def test_M1_does_not_apply_without_an_approved_trastuzumab_plan(oncologist):
    case = make_case(oncologist)
    add_measurement(case, Kind.LVEF, 60, BASELINE_ON, oncologist)
    status = monitoring.lvef_status(case, as_of=LATER)
    assert (status.applies, status.status, status.holds_plan, status.due_on) == (False, "not_applicable", False, None)


def test_M1_no_baseline_before_the_first_dose(plan, oncologist):
    add_measurement(plan.case, Kind.LVEF, 60, START + timedelta(days=1), oncologist)
    status = monitoring.lvef_status(plan.case, as_of=LATER)
    assert status.status == "no_baseline" and "baseline is needed" in status.text


@pytest.mark.parametrize(("as_of", "overdue"), [(LATER + timedelta(weeks=12), False),
                                                (LATER + timedelta(weeks=12, days=1), True)])
def test_M1_lvef_due_12_weeks_after_the_last_measurement(plan, oncologist, as_of, overdue):
    add_measurement(plan.case, Kind.LVEF, 62, BASELINE_ON, oncologist)
    add_measurement(plan.case, Kind.LVEF, 60, LATER, oncologist)
    status = monitoring.lvef_status(plan.case, as_of=as_of)
    assert status.due_on == date(2027, 4, 4)
    assert status.overdue is overdue
    assert ("Next LVEF overdue since 04 Apr 2027" in status.text) is overdue
    assert not status.holds_plan


@pytest.mark.parametrize(("later", "withheld"), [(54, True), (55, False)])
def test_M1_withhold_at_exactly_16_points_with_a_recheck_in_4_weeks(plan, oncologist, later, withheld):
    add_measurement(plan.case, Kind.LVEF, 70, BASELINE_ON, oncologist)
    add_measurement(plan.case, Kind.LVEF, later, LATER, oncologist)
    status = monitoring.lvef_status(plan.case, as_of=LATER)
    assert status.holds_plan is withheld
    if withheld:
        assert status.status == "withhold" and status.recheck_due == LATER + timedelta(weeks=4)
        assert "a drop of 16 points or more from baseline" in status.text
        assert "Recheck due in 4 weeks: by 07 Feb 2027." in status.text
    else:
        assert status.status == "continue" and status.recheck_due is None


@pytest.mark.parametrize(("later", "withheld"), [(48, True), (49, False)])
def test_M1_withhold_below_the_lower_limit_of_normal_with_exactly_10_points(plan, oncologist, later, withheld):
    add_measurement(plan.case, Kind.LVEF, 58, BASELINE_ON, oncologist)  # the lower limit of normal is 50% (setting)
    add_measurement(plan.case, Kind.LVEF, later, LATER, oncologist)
    status = monitoring.lvef_status(plan.case, as_of=LATER)
    assert status.holds_plan is withheld
    assert ("below the institutional lower limit of normal" in status.text) is withheld


@pytest.mark.parametrize(("days_after", "status_name"), [(56, "withhold"), (57, "stop")])
def test_M1_stop_when_the_decline_lasts_more_than_8_weeks(plan, oncologist, days_after, status_name):
    add_measurement(plan.case, Kind.LVEF, 70, BASELINE_ON, oncologist)
    add_measurement(plan.case, Kind.LVEF, 50, LATER, oncologist)
    status = monitoring.lvef_status(plan.case, as_of=LATER + timedelta(days=days_after))
    assert status.status == status_name and status.holds_plan
    if status_name == "stop":
        assert "stop trastuzumab permanently" in status.text and status.due_on is None


def test_M1_stop_after_more_than_3_holds(plan, oncologist):
    add_measurement(plan.case, Kind.LVEF, 70, BASELINE_ON, oncologist)
    day = LATER
    for hold in range(1, 5):
        add_measurement(plan.case, Kind.LVEF, 50, day, oncologist)  # a hold
        status = monitoring.lvef_status(plan.case, as_of=day)
        assert status.course.holds == hold
        if hold < 4:
            assert status.status == "withhold"
            add_measurement(plan.case, Kind.LVEF, 68, day + timedelta(weeks=4), oncologist)  # recovers at the recheck
            assert monitoring.lvef_status(plan.case, as_of=day + timedelta(weeks=4)).status == "resume"
        day += timedelta(weeks=8)
    assert status.status == "stop" and "more than 3 holds" in status.text


def test_M1_lvef_status_never_changes_the_plan(plan, oncologist):
    add_measurement(plan.case, Kind.LVEF, 70, BASELINE_ON, oncologist)
    add_measurement(plan.case, Kind.LVEF, 50, LATER, oncologist)
    assert monitoring.lvef_status(plan.case, as_of=LATER + timedelta(weeks=10)).status == "stop"
    plan.refresh_from_db()
    assert plan.state == PlanState.APPROVED
    assert not plan.transitions.filter(to_state__in=["cancelled", "superseded"]).exists()


def test_the_case_and_series_pages_show_the_withhold_with_its_reason(client, oncologist):
    today = timezone.localdate()
    draft = draft_plan(make_case(oncologist), oncologist)
    actions.update_draft(draft, oncologist, draft.edit_version, today - timedelta(days=30), "", [])
    plan, _ = actions.approve_plan(draft, oncologist)
    add_measurement(plan.case, Kind.LVEF, 70, today - timedelta(days=40), oncologist)
    add_measurement(plan.case, Kind.LVEF, 53, today - timedelta(days=2), oncologist)
    client.force_login(oncologist)
    for url in (reverse("cases:detail", args=[plan.case.pk]), reverse("monitoring:series", args=[plan.case.pk])):
        page = client.get(url).content.decode()
        assert "Withhold trastuzumab." in page and "17 points lower" in page
        assert "Recheck due in 4 weeks" in page
