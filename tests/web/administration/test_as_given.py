"""The schedule as given (issue 15, "after approval (2/2)"): the re-issued plan PDF prints the doses given on
their real dates and the others on their re-flowed dates (D8); readiness judges each dose on its re-flowed date;
the LVEF baseline (M1) is fixed by the first trastuzumab dose GIVEN.

The plan: tucatinib + trastuzumab from 1 Dec 2026 for a 70 kg woman (R6), 21-day cycles; trastuzumab 560 mg
loading on cycle 1, then 420 mg (D1)."""

from datetime import timedelta
from unittest.mock import patch

import pytest
from django.urls import reverse

from conftest import password_of, today_is
from her2app import monitoring
from her2app.administration.models import Administration, SupplyRecord
from her2app.administration.reductions import reduce_dose
from her2app.administration.schedule import confirm_reload, plan_schedule
from her2app.monitoring.models import Kind
from her2app.monitoring.readiness import administration_days, day_readiness, first_trastuzumab_dose_on
from her2app.plans import actions, documents
from her2app.plans.as_given import schedule_as_given
from tests.factories import plannable_case as make_case
from tests.web.administration.helpers import (
    add_measurement,
    give,
    given_entry,
    given_form,
    record_url,
    resolve_readiness,
)
from regimens import reflow as engine_reflow
from tests.internal_codes import pdf_text
from tests.web.plan_helpers import CYCLE_2, CYCLE_3, START, approved_plan, verified

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fixed_today")]


def _delay(plan, nurse, cycle, until, drug="trastuzumab"):
    entry = Administration(plan=plan, drug=drug, cycle=cycle, day=1, scheduled_on=until, status="delayed",
                           reason="Patient unwell", delayed_until=until, recorded_by=nurse)
    entry.full_clean()
    entry.save()
    return entry


# --- readiness judges each dose on its re-flowed date --------------------------------------------------------
def test_readiness_day_is_the_reflowed_date_not_the_signed_calendar_date(plan, oncologist, nurse, second_nurse):
    give(plan, nurse, second_nurse, oncologist, 1, START, START, dose="560")
    moved = START + timedelta(days=70)
    _delay(plan, nurse, 2, moved)
    days = administration_days(plan)
    assert CYCLE_2 not in days and days[moved] == ["trastuzumab", "tucatinib"]
    assert day_readiness(plan, CYCLE_2) is None
    # The LVEF of START - 20 days was in date on the calendar's day (M1, 12 weeks), not on the re-flowed one.
    lvef = day_readiness(plan, moved).line("lvef:trastuzumab")
    assert lvef.blocks_given and "more than 12 weeks ago" in lvef.line.text


def test_readiness_of_a_past_day_is_the_schedule_as_it_stood_that_day(plan, oncologist, nurse, second_nurse):
    """A dose given a day late: the day it was due still lists it (its checklist was that day's)."""
    give(plan, nurse, second_nurse, oncologist, 1, START + timedelta(days=1), START, dose="560")
    assert day_readiness(plan, START + timedelta(days=1)).drugs == ("trastuzumab", "tucatinib")
    assert CYCLE_2 + timedelta(days=1) in administration_days(plan)  # cycle 2 counts from the real day 1


def test_readiness_reflows_the_plan_once_for_the_days_drugs_and_the_first_dose(plan, oncologist, nurse,
                                                                             second_nurse):
    give(plan, nurse, second_nurse, oncologist, 1, START, START, dose="560")
    with patch.object(engine_reflow, "reflow", wraps=engine_reflow.reflow) as reflow:
        readiness = day_readiness(plan, CYCLE_2)
    assert readiness.drugs == ("trastuzumab", "tucatinib")
    assert reflow.call_count == 1


def test_the_record_page_reflows_the_plan_once_for_the_dose_and_its_readiness(client, plan, oncologist, nurse,
                                                                              second_nurse):
    give(plan, nurse, second_nurse, oncologist, 1, START, START, dose="560")
    client.force_login(nurse)
    with patch.object(engine_reflow, "reflow", wraps=engine_reflow.reflow) as reflow:
        page = client.get(record_url(plan, cycle=2))
    assert reflow.call_count == 1
    assert page.context["scheduled_on"] == CYCLE_2
    assert page.context["readiness"] == day_readiness(plan, CYCLE_2)  # the same checklist as read on its own


def test_recording_a_dose_given_today_reflows_the_plan_once_for_its_readiness_and_its_reload(
        monkeypatch, plan, oncologist, nurse, second_nurse):
    today_is(monkeypatch, START)
    resolve_readiness(plan, START, oncologist)
    entry = given_entry(plan, nurse, second_nurse, 1, START, dose="560")
    with patch.object(engine_reflow, "reflow", wraps=engine_reflow.reflow) as reflow:
        entry.save()
    assert reflow.call_count == 1
    assert Administration.objects.filter(plan=plan, cycle=1, status="given").exists()


def test_record_page_checks_readiness_on_the_reflowed_date(client, plan, oncologist, nurse, second_nurse):
    give(plan, nurse, second_nurse, oncologist, 1, START, START, dose="560")
    moved = START + timedelta(days=70)
    _delay(plan, nurse, 2, moved)
    client.force_login(nurse)
    page = client.get(record_url(plan, cycle=2)).content.decode()
    assert reverse("monitoring:day", args=[plan.pk, moved]) in page and "Not ready" in page
    assert f'value="{moved.isoformat()}"' in page  # the date given is offered as the re-flowed date
    refused = client.post(record_url(plan, cycle=2), given_form(second_nurse, password_of("nadia"),
                                                                given_on=moved.isoformat(), dose_mg="420"))
    assert refused.status_code == 400 and "red line" in refused.content.decode()
    resolve_readiness(plan, moved, oncologist)
    confirm_reload(plan_schedule(plan, moved), "trastuzumab", 2, 1, oncologist)  # D8: 49 days late
    client.post(record_url(plan, cycle=2), given_form(second_nurse, password_of("nadia"), given_on=moved.isoformat(),
                                                     dose_mg="560"))
    assert Administration.objects.get(cycle=2, status="given").scheduled_on == moved


# --- M1: the baseline is fixed by the first trastuzumab dose GIVEN ------------------------------------------
@pytest.fixture
def bare_plan(oncologist):
    """A verified plan whose case has no measurement yet."""
    return verified(approved_plan(make_case(oncologist), oncologist))


@pytest.mark.parametrize(("lvef_day", "baseline"), [(2, True), (4, True), (5, False)])
def test_M1_baseline_is_measured_before_the_first_dose_given_not_the_calendar_date(
        bare_plan, oncologist, nurse, second_nurse, lvef_day, baseline):
    """First trastuzumab given 4 days after the calendar's date: an LVEF between the two, or on the day given,
    is the baseline; one the day after is not."""
    add_measurement(bare_plan.case, Kind.LVEF, 60, START + timedelta(days=lvef_day), oncologist)
    give(bare_plan, nurse, second_nurse, oncologist, 1, START + timedelta(days=4), START, dose="560")
    assert first_trastuzumab_dose_on(bare_plan) == START + timedelta(days=4)
    status = monitoring.lvef_status(bare_plan.case, as_of=START + timedelta(days=10))
    assert (status.status != "no_baseline") is baseline
    if baseline:
        assert status.course.baseline.on == START + timedelta(days=lvef_day)


def test_M1_calendar_stands_in_while_nothing_is_given(bare_plan, oncologist):
    add_measurement(bare_plan.case, Kind.LVEF, 60, START + timedelta(days=2), oncologist)
    assert first_trastuzumab_dose_on(bare_plan) == START
    assert monitoring.lvef_status(bare_plan.case, as_of=START + timedelta(days=10)).status == "no_baseline"


def test_M1_first_dose_given_counts_across_the_versions_a_plan_revised(bare_plan, oncologist, nurse, second_nurse):
    add_measurement(bare_plan.case, Kind.LVEF, 60, START + timedelta(days=3), oncologist)
    give(bare_plan, nurse, second_nurse, oncologist, 1, START + timedelta(days=4), START, dose="560")
    revision = verified(actions.approve_plan(reduce_dose(bare_plan, oncologist, "tucatinib", "Diarrhoea"),
                                             oncologist)[0])
    assert first_trastuzumab_dose_on(revision) == START + timedelta(days=4)
    status = monitoring.lvef_status(revision.case, as_of=START + timedelta(days=10))
    assert status.plan == revision and status.course.baseline.on == START + timedelta(days=3)


# --- the re-issued PDF prints the schedule as given and re-flowed -------------------------------------------
def test_pdf_is_reissued_with_the_reflowed_schedule_after_a_delay(client, plan, oncologist, nurse, second_nurse,
                                                                  django_capture_on_commit_callbacks):
    signed = documents.render_plan_document(plan, oncologist)
    assert "re-flowed" not in pdf_text(signed.read_bytes())
    give(plan, nurse, second_nurse, oncologist, 1, START, START, dose="560")
    moved = CYCLE_2 + timedelta(days=7)
    client.force_login(nurse)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(record_url(plan, cycle=2), {"status": "delayed", "reason": "Patient away",
                                                           "delayed_until": moved.isoformat(),
                                                           "reaction_grade": "0"})
    assert response.status_code == 302
    reissued = plan.latest_document
    assert [document.version for document in plan.documents.order_by("version")] == [1, 2]
    assert all(document.verify_checksum() for document in plan.documents.all())
    text = pdf_text(reissued.read_bytes())
    assert "Schedule as of 29 Nov 2026, re-flowed from the administration record" in text
    assert "C1 day 1 Trastuzumab IV Given Tue 1 Dec 2026 560 mg same" in text
    # D8: exactly one week late is not a re-load; the cycle and every later one move by 7 days
    assert "C2 day 1 Trastuzumab IV Due Tue 29 Dec 2026 420 mg 22 Dec 2026 (+7 days)" in text
    assert "C3 day 1 Trastuzumab IV Due Tue 19 Jan 2027 420 mg 12 Jan 2027 (+7 days)" in text
    assert "C2 days 1-21 Tucatinib (TUKYSA) by mouth, twice daily Due Tue 29 Dec 2026 – 18 Jan 2027 300 mg" in text
    assert "The rows are the doses still due" in text  # the paper record for downtime, on the re-flowed dates


def test_pdf_is_not_reissued_for_a_dose_given_on_its_day(client, plan, oncologist, nurse, second_nurse,
                                                         django_capture_on_commit_callbacks):
    documents.render_plan_document(plan, oncologist)
    resolve_readiness(plan, START, oncologist)
    client.force_login(nurse)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(record_url(plan), given_form(second_nurse, password_of("nadia")))
    assert Administration.objects.filter(status="given").count() == 1
    assert plan.documents.count() == 1


def test_pdf_is_reissued_with_the_confirmed_reload_dose(client, plan, oncologist, nurse, second_nurse,
                                                        django_capture_on_commit_callbacks):
    give(plan, nurse, second_nurse, oncologist, 1, START, START, dose="560")
    give(plan, nurse, second_nurse, oncologist, 2, CYCLE_2, CYCLE_2)
    for cycle, on in ((1, START), (2, CYCLE_2)):
        SupplyRecord.objects.create(plan=plan, drug="tucatinib", cycle=cycle, tablets=84, dispensed_on=on,
                                    recorded_by=nurse)
    _delay(plan, nurse, 3, CYCLE_3 + timedelta(days=8))  # D8: more than one week late, a re-load
    client.force_login(oncologist)
    url = reverse("administration:confirm_reload", kwargs={"plan_pk": plan.pk, "drug": "trastuzumab", "cycle": 3,
                                                           "day": 1})
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    text = pdf_text(plan.documents.get().read_bytes())
    assert "C3 day 1 Trastuzumab IV Due Wed 20 Jan 2027 560 mg 12 Jan 2027 (+8 days)" in text
    assert "Re-load of 560 mg confirmed by Oliver Oncologist" in text
    assert "C2 day 1 Trastuzumab IV Given Tue 22 Dec 2026 420 mg same" in text
    assert "C2 days 1-21 Tucatinib (TUKYSA) by mouth, twice daily Given Tue 22 Dec 2026 – 11 Jan 2027 300 mg" in text


def test_schedule_as_given_is_none_until_something_is_recorded(plan, oncologist, nurse, second_nurse):
    assert schedule_as_given(plan, START) is None
    give(plan, nurse, second_nurse, oncologist, 1, START, START, dose="560")
    schedule = schedule_as_given(plan, START)
    assert [(dose.cycle, dose.drug, dose.given) for dose in schedule.given] == [(1, "trastuzumab", True)]
    # the infusions of as many cycles after the one given as the signed calendar prints; cycle 1's tablets, not
    # recorded yet, are still due and do not take a place in that window
    assert [dose.cycle for dose in schedule.upcoming if dose.drug == "trastuzumab"] == [2, 3, 4, 5, 6, 7]
    assert schedule.due("tucatinib", 1, 1).on == START


def test_reflow_reads_the_record_of_the_versions_a_reduction_revised(plan, oncologist, nurse, second_nurse):
    give(plan, nurse, second_nurse, oncologist, 1, START + timedelta(days=2), START, dose="560")
    revision = verified(actions.approve_plan(reduce_dose(plan, oncologist, "tucatinib", "Diarrhoea"),
                                             oncologist)[0])
    schedule = plan_schedule(revision, START + timedelta(days=3))
    assert schedule.find("trastuzumab", 1, 1) is None  # given under version 1
    assert schedule.find("trastuzumab", 2, 1).dose.date == CYCLE_2 + timedelta(days=2)
    assert schedule.find("tucatinib", 2, 1).dose.give_mg == 250


def test_confirm_reload_is_recorded_against_the_dose(plan, oncologist, nurse, second_nurse):
    give(plan, nurse, second_nurse, oncologist, 1, START, START, dose="560")
    give(plan, nurse, second_nurse, oncologist, 2, CYCLE_2, CYCLE_2)
    late = CYCLE_3 + timedelta(days=8)
    confirm_reload(plan_schedule(plan, late), "trastuzumab", 3, 1, oncologist)
    due = next(dose for dose in schedule_as_given(plan, late).upcoming if (dose.cycle, dose.drug) == (3, "trastuzumab"))
    assert (due.on, due.dose_mg) == (late, 560) and "confirmed" in due.note


def test_nurse_worklist_lists_an_infusion_on_its_reflowed_date(client, plan, oncologist, nurse, second_nurse):
    give(plan, nurse, second_nurse, oncologist, 1, START, START, dose="560")
    _delay(plan, nurse, 2, CYCLE_2 + timedelta(days=3))
    client.force_login(nurse)
    page = client.get(reverse("plans:nurse_worklist")).content.decode()
    assert "Friday 25 Dec 2026" in page and "cycle 2 day 1" in page
    assert "Tuesday 22 Dec 2026" not in page  # the signed calendar's date
    assert "Tuesday 1 Dec 2026" not in page  # cycle 1 was given


def test_nurse_plan_page_lists_the_doses_due_on_their_reflowed_dates(client, plan, oncologist, nurse, second_nurse):
    give(plan, nurse, second_nurse, oncologist, 1, START, START, dose="560")
    _delay(plan, nurse, 2, CYCLE_2 + timedelta(days=3))
    client.force_login(nurse)
    page = client.get(reverse("plans:nurse_plan", args=[plan.pk])).content.decode()
    table = page[page.index("<h2>Administration record</h2>"):]
    assert "Due date" in table and "re-flows them to from the administration record" in table
    assert "Fri 25 Dec 2026</td><td>C2 day 1</td>" in table
    assert "Tue 1 Dec 2026</td><td>C1 day 1</td><td>Trastuzumab" not in table  # given: in the record
    assert "Tue 22 Dec 2026" not in table  # the signed calendar's date of cycle 2
