"""M1 acting on the plan (issue 15 item 6): a recorded LVEF that meets a withhold criterion puts the plan on
hold with that reason, whether it is recorded on the measurements page or changed in the wizard; a plan the
oncologist resumed is held again only by a newer LVEF.

The plan: tucatinib + trastuzumab from 1 Dec 2026, verified; baseline LVEF 70% on 20 Nov 2026; "today" is
10 Jan 2027, after the first trastuzumab dose."""

from datetime import date

import pytest
from django.urls import reverse

from conftest import today_is
from her2app.monitoring.holds import record_case_values
from her2app.monitoring.models import Kind
from her2app.plans import actions
from her2app.plans.models import PlanState
from tests.factories import plannable_case as make_case
from tests.web.administration.helpers import add_measurement
from tests.web.plan_helpers import approved_plan, verified

pytestmark = pytest.mark.django_db
BASELINE_ON = date(2026, 11, 20)
TODAY = date(2027, 1, 10)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    today_is(monkeypatch, TODAY)


@pytest.fixture
def plan(oncologist):
    plan = verified(approved_plan(make_case(oncologist), oncologist))
    add_measurement(plan.case, Kind.LVEF, 70, BASELINE_ON, oncologist)
    return plan


def _record(client, plan, form, value):
    return client.post(reverse("monitoring:series", args=[plan.case.pk]),
                       {"form": form, f"{form}-value": str(value), f"{form}-measured_on": TODAY.isoformat()},
                       follow=True)


@pytest.mark.parametrize(("lvef", "held"), [(54, True), (55, False)])
def test_M1_an_lvef_recorded_16_points_below_baseline_holds_the_plan(client, coordinator, plan, lvef, held):
    client.force_login(coordinator)
    page = _record(client, plan, "lvef", lvef).content.decode()
    plan.refresh_from_db()
    assert (plan.state == PlanState.ON_HOLD) is held
    if held:
        reason = plan.transitions.get(to_state=PlanState.ON_HOLD).reason
        assert reason.startswith("LVEF (M1):") and "16 points" in reason
        assert f"Plan version {plan.version} was put on hold" in page
    else:
        assert plan.state == PlanState.VERIFIED and not plan.transitions.filter(to_state=PlanState.ON_HOLD).exists()


def test_M1_a_resumed_plan_is_held_again_only_by_a_newer_lvef(client, coordinator, oncologist, plan):
    client.force_login(coordinator)
    _record(client, plan, "lvef", 54)
    actions.resume_plan(plan, oncologist, "Cardiology reviewed the echo; continue with monitoring.")
    _record(client, plan, "weight", 70)
    plan.refresh_from_db()
    assert plan.state == PlanState.APPROVED  # back to verification, not held again by a weight
    _record(client, plan, "lvef", 52)
    plan.refresh_from_db()
    assert plan.state == PlanState.ON_HOLD and plan.transitions.filter(to_state=PlanState.ON_HOLD).count() == 2


def test_M1_an_lvef_changed_in_the_wizard_holds_the_plan_once(coordinator, plan):
    clinical = plan.case.clinical
    clinical.lvef_percent, clinical.lvef_date = 54, TODAY
    clinical.save()
    assert [held.pk for held in record_case_values(plan.case, coordinator)] == [plan.pk]
    assert record_case_values(plan.case, coordinator) == []  # the same LVEF saved again holds nothing new
    assert plan.transitions.filter(to_state=PlanState.ON_HOLD).count() == 1
