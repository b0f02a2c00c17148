"""Shared setup for the administration-record tests: a verified plan with measurements before its start,
readiness lifted by the oncologist, and given doses recorded through the model (the second nurse and the fixed
today are fixtures of tests/web/conftest.py). The monitoring tests record measurements here too."""

from datetime import date, time, timedelta
from decimal import Decimal

from django.urls import reverse

from her2app.administration.models import Administration
from her2app.monitoring.models import UNITS, Kind, Measurement, PregnancyStatus
from her2app.monitoring.readiness import day_readiness, record_decision
from tests.web.plan_helpers import START


# The day the pages re-flow the schedule as of in the tests that fix it (`fixed_today`): before START.
TODAY = date(2026, 11, 29)


def add_measurement(case, kind, value, on, user, unit=None) -> Measurement:
    """A measurement of the case, in the first unit its kind is recorded in (as the form does) unless `unit` is
    given."""
    return Measurement.objects.create(case=case, kind=kind, value=Decimal(str(value)), unit=unit or UNITS[kind][0],
                                      measured_on=on, recorded_by=user)


def post_measurement(client, user, case, form: str, **fields):
    """`user` records a measurement on the case's series page: `form` names the series (weight, lvef, liver ...)."""
    client.force_login(user)
    data = {"form": form, **{f"{form}-{name}": value for name, value in fields.items()}}
    return client.post(reverse("monitoring:series", args=[case.pk]), data)


def add_measurements(plan, user, weight=70, *, lvef=60, liver_on=START - timedelta(days=2)):
    """Everything measured before START: weight, LVEF, liver tests (which always ask for the oncologist's
    go-ahead) and a negative pregnancy test."""
    add_measurement(plan.case, Kind.WEIGHT, weight, START - timedelta(days=1), user)
    add_measurement(plan.case, Kind.LVEF, lvef, START - timedelta(days=20), user)
    for kind, value in ((Kind.ALT, 20), (Kind.AST, 20), (Kind.BILIRUBIN, 10)):
        add_measurement(plan.case, kind, value, liver_on, user)
    PregnancyStatus.objects.create(case=plan.case, basis="test", pregnant=False,
                                   measured_on=START - timedelta(days=3), recorded_by=user)


def resolve_readiness(plan, day, oncologist):
    """The oncologist lifts every line still blocking the day (an override or the go-ahead, with a reason)."""
    readiness = day_readiness(plan, day)
    for checked in readiness.lines:
        if checked.blocks_given:
            record_decision(readiness, checked, oncologist=oncologist, reason="Reviewed", recorded_by=oncologist)
    return day_readiness(plan, day)


def given_entry(plan, nurse, checker, cycle, day_date, *, drug="trastuzumab", day=1, scheduled=None, dose="420"):
    return Administration(plan=plan, drug=drug, cycle=cycle, day=day, scheduled_on=scheduled or day_date,
                          status="given", given_on=day_date, dose_mg=Decimal(dose), started_at=time(9, 0),
                          ended_at=time(9, 30), batch="LOT-1", recorded_by=nurse, checked_by=checker)


def give(plan, nurse, checker, oncologist, cycle, day_date, scheduled, **kwargs):
    resolve_readiness(plan, scheduled, oncologist)
    entry = given_entry(plan, nurse, checker, cycle, day_date, scheduled=scheduled, **kwargs)
    entry.full_clean()
    entry.save()
    return entry


def record_url(plan, cycle=1, day=1, drug="trastuzumab"):
    return reverse("administration:record", kwargs={"plan_pk": plan.pk, "drug": drug, "cycle": cycle, "day": day})


def given_form(checker, password, **extra):
    return {"status": "given", "given_on": START.isoformat(), "dose_mg": "560", "started_at": "09:00",
            "ended_at": "09:30", "batch": "LOT-7", "reaction_grade": "0", "checker": checker.pk,
            "checker_password": password, **extra}
