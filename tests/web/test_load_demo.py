"""`make run` loads demo users, cases and three signed plans (verified, waiting for verification, on hold),
so every role has something to see."""

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from her2app.meetings.models import Meeting

from her2app.demo.management.commands.load_demo import DEMO_CASES
from her2app.cases.models import Case
from her2app.plans.models import PlanState, TreatmentPlan


def test_load_demo_refuses_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo")


def test_load_demo_creates_users_cases_and_a_verified_a_waiting_and_a_held_plan(
    db, settings, capsys, django_capture_on_commit_callbacks
):
    settings.DEBUG = True
    with django_capture_on_commit_callbacks(execute=True):  # the worker beside `make run` renders the PDF
        call_command("load_demo")
    call_command("load_demo")  # a second run adds nothing

    assert User.objects.get(username="nurse").check_password("nurse-demo-2026")
    assert Case.objects.count() == len(list(DEMO_CASES.glob("*.json"))) == 27
    assert User.objects.get(username="pharmacist").check_password("pharmacist-demo-2026")
    states = sorted(TreatmentPlan.objects.values_list("state", flat=True))
    assert states == sorted([PlanState.VERIFIED, PlanState.VERIFIED, PlanState.APPROVED, PlanState.ON_HOLD])
    plans = {plan.state: plan for plan in TreatmentPlan.objects.order_by("-pk")}  # the first verified plan wins
    plan = plans[PlanState.VERIFIED]
    assert (plan.regimen, plan.approved_by.username, plan.verified_by.username) == (
        "tucatinib-trastuzumab", "oncologist", "pharmacist"
    )
    assert plan.case.status == Case.Status.PLANNED
    document = plan.documents.latest("version")
    assert document.verify_checksum() and document.plan_state == PlanState.VERIFIED
    held = plans[PlanState.ON_HOLD]
    assert held.was_released and "calculated dose 560 mg is now 480 mg" in held.hold_reason
    assert held.documents.latest("version").plan_state == PlanState.ON_HOLD, "its PDF is re-issued on hold"
    meeting = Meeting.objects.get()  # the demo tumour board, its minutes signed off and printed
    assert meeting.is_signed_off and meeting.chair.username == "oncologist" and meeting.present_names
    assert all(item.presenter and item.outcome for item in meeting.items.all()) and meeting.items.count() == 3
    assert meeting.documents.get().is_minutes
    output = capsys.readouterr().out
    assert output.count("Demo plan signed") == 4
    assert "pharmacist" in output and "Demo plan waiting for verification" in output


def test_the_demo_start_puts_today_two_days_into_the_third_cycle():
    from datetime import date

    from her2app.demo.administration import start_for_third_cycle
    from regimens.schedule import planned_date

    today = date(2026, 11, 29)
    assert start_for_third_cycle(today) == date(2026, 10, 16)  # 44 days before: 2 cycles of 21 days and 2 days
    assert planned_date(start_for_third_cycle(today, cycle_days=14), 14, cycle=3, day=3) == today


def test_load_demo_has_a_plan_in_its_third_cycle_with_an_administration_history(db, settings):
    from django.utils import timezone

    from her2app.administration.models import Administration, SupplyRecord
    from her2app.administration.schedule import plan_schedule

    settings.DEBUG = True
    call_command("load_demo")
    plan = TreatmentPlan.objects.get(administrations__isnull=False, administrations__cycle=3, state=PlanState.VERIFIED,
                                     administrations__drug="trastuzumab")
    given = Administration.objects.filter(plan=plan, status="given")
    assert sorted(given.values_list("cycle", flat=True)) == [1, 2, 3]
    assert all(row.checked_by.username == "nurse2" and row.recorded_by.username == "nurse" for row in given)
    assert list(SupplyRecord.objects.filter(plan=plan).values_list("cycle", flat=True)) == [1, 2, 3]
    upcoming = plan_schedule(plan, timezone.localdate()).find("trastuzumab", 4, 1)
    assert upcoming.dose.date == plan.start_date + timezone.timedelta(days=63) and not upcoming.dose.needs_confirmation
