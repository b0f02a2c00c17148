"""Trastuzumab deruxtecan under way, through the pages (issue 15): a missed dose is given as soon as possible and
the schedule moves (D8); the label reductions 5.4 -> 4.4 -> 3.2 mg/kg, then stop, never re-escalated (D5), each a
revision with its reason that the pharmacist verifies again.

The plan: fam-trastuzumab deruxtecan-nxki (ENHERTU) 5.4 mg/kg every 21 days from 1 Dec 2026 for a 70 kg patient
(378 mg)."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from conftest import password_of
from her2app.administration.models import Administration
from her2app.administration.schedule import plan_schedule
from her2app.plans.models import PlanState, TreatmentPlan
from tests.factories import plannable_case as make_case
from tests.web.administration.helpers import (
    add_measurements,
    given_form,
    record_url,
    resolve_readiness,
)
from tests.internal_codes import pdf_text
from tests.web.plan_helpers import CYCLE_2, START, approved_plan, verified

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fixed_today")]
TDXD = "trastuzumab_deruxtecan"


@pytest.fixture
def tdxd_plan(oncologist):
    plan = verified(approved_plan(make_case(oncologist), oncologist, "trastuzumab-deruxtecan",
                                  override_reason="Board: ILD risk accepted"))
    add_measurements(plan, oncologist)
    return plan


def _give_on_page(client, plan, oncologist, nurse, second_nurse, cycle, on, dose, checklist_day=None):
    """The oncologist's go-ahead on the checklist (M3), then the nurse records the dose with the second nurse."""
    resolve_readiness(plan, checklist_day or on, oncologist)
    client.force_login(nurse)
    response = client.post(record_url(plan, cycle=cycle, drug=TDXD),
                           given_form(second_nurse, password_of("nadia"), given_on=on.isoformat(), dose_mg=dose))
    assert response.status_code == 302, response.content.decode()


def _pdf_text(plan) -> str:
    text = pdf_text(plan.latest_document.read_bytes())
    return re.sub(r"-\s+", "-", text)  # words split at a hyphen


# --- D8: a missed dose is given as soon as possible; every later dose moves by the same interval ---------------
def test_D8_tdxd_missed_dose_given_when_possible_moves_the_schedule_on_screen_and_pdf(
        client, tdxd_plan, oncologist, nurse, second_nurse, django_capture_on_commit_callbacks):
    plan = tdxd_plan
    _give_on_page(client, plan, oncologist, nurse, second_nurse, 1, START, "378")
    missed_until = CYCLE_2 + timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(record_url(plan, cycle=2, drug=TDXD), {"status": "delayed", "reason": "Missed: patient unwell",
                                                           "delayed_until": missed_until.isoformat(),
                                                           "reaction_grade": "0"})
    page = client.get(reverse("administration:plan", kwargs={"plan_pk": plan.pk})).content.decode()
    row = page[page.index(f'id="dose-{TDXD}-2-1"'):]
    assert "Fri 1 Jan 2027" in row[:200] and "(planned 22 Dec; 10 days late)" in row[:300]
    assert "as soon as possible" in row[:900]
    assert f'id="dose-{TDXD}-3-1"><td>Fri 22 Jan 2027' in page  # cycle 3 moved by the same 10 days

    with django_capture_on_commit_callbacks(execute=True):
        _give_on_page(client, plan, oncologist, nurse, second_nurse, 2, missed_until, "378")
    schedule = plan_schedule(plan, missed_until)
    later = [item.dose for item in schedule.upcoming]
    assert [(dose.cycle, dose.day) for dose in later] == [(3, 1), (4, 1)]  # cycle numbers stay right
    assert {dose.shift_days for dose in later} == {10} and later[0].date == missed_until + timedelta(days=21)
    assert not any(dose.needs_confirmation for dose in later)  # D8: no re-load for trastuzumab deruxtecan

    text = _pdf_text(plan)  # re-issued when the missed dose was recorded
    assert "re-flowed from the administration record" in text
    assert "C1 day 1 Fam-trastuzumab deruxtecan-nxki (ENHERTU) IV Given Tue 1 Dec 2026 378 mg same" in text
    assert "C2 day 1 Fam-trastuzumab deruxtecan-nxki (ENHERTU) IV Due Fri 1 Jan 2027 378 mg 22 Dec 2026 (+10 days)" in text
    assert "C3 day 1 Fam-trastuzumab deruxtecan-nxki (ENHERTU) IV Due Fri 22 Jan 2027 378 mg 12 Jan 2027 (+10 days)" in text


def test_D8_tdxd_dose_given_late_without_a_delay_recorded_reissues_the_pdf(
        client, tdxd_plan, oncologist, nurse, second_nurse, django_capture_on_commit_callbacks):
    plan = tdxd_plan
    _give_on_page(client, plan, oncologist, nurse, second_nurse, 1, START, "378")
    assert plan.documents.count() == 0
    late = CYCLE_2 + timedelta(days=4)
    with django_capture_on_commit_callbacks(execute=True):
        _give_on_page(client, plan, oncologist, nurse, second_nurse, 2, late, "378", checklist_day=CYCLE_2)
    assert Administration.objects.get(cycle=2).scheduled_on == CYCLE_2  # given off its day
    text = _pdf_text(plan)
    assert "C2 day 1 Fam-trastuzumab deruxtecan-nxki (ENHERTU) IV Given Sat 26 Dec 2026 378 mg 22 Dec 2026 (+4 days)" in text
    assert "C3 day 1 Fam-trastuzumab deruxtecan-nxki (ENHERTU) IV Due Sat 16 Jan 2027 378 mg 12 Jan 2027 (+4 days)" in text


# --- D5: 5.4 -> 4.4 -> 3.2 mg/kg, then stop; each a revision the pharmacist verifies again ----------------------
def _reduce_on_page(client, plan, oncologist, reason) -> TreatmentPlan:
    client.force_login(oncologist)
    response = client.post(reverse("administration:reduce", kwargs={"plan_pk": plan.pk}),
                           {"drug": TDXD, "reason": reason})
    assert response.status_code == 302, response.content.decode()
    return plan.case.plans.get(version=plan.version + 1)


def _approve_and_verify_on_pages(client, revision, oncologist, pharmacist) -> TreatmentPlan:
    client.force_login(oncologist)
    client.post(reverse("plans:approve", args=[revision.pk]), {"password": password_of("oliver")})
    revision.refresh_from_db()
    assert revision.state == PlanState.APPROVED  # signed, not yet given: the pharmacist verifies it again
    client.force_login(pharmacist)
    client.post(reverse("plans:verify", args=[revision.pk]), {"password": password_of("phil")})
    revision.refresh_from_db()
    assert revision.state == PlanState.VERIFIED
    return revision


def test_D5_tdxd_reductions_on_the_pages_are_revisions_verified_again_then_stop(
        client, tdxd_plan, oncologist, pharmacist, nurse, second_nurse):
    plan = tdxd_plan
    _give_on_page(client, plan, oncologist, nurse, second_nurse, 1, START, "378")
    steps = [("Grade 2 pneumonitis resolved", 308), ("Grade 3 neutropenia", 224)]
    current = plan
    for reason, expected_mg in steps:
        revision = _reduce_on_page(client, current, oncologist, reason)
        dose = revision.doses.get(drug=TDXD)
        assert revision.is_draft and revision.supersedes == current
        assert dose.final_mg == expected_mg and reason in dose.adjustment_reason and "D5" in dose.adjustment_reason
        client.force_login(nurse)
        assert client.get(reverse("administration:plan", kwargs={"plan_pk": revision.pk})).status_code == 404
        current = _approve_and_verify_on_pages(client, revision, oncologist, pharmacist)
        assert current.supersedes.state == PlanState.SUPERSEDED
        # cycle numbers stay right across versions: cycle 1 was given under version 1
        upcoming = plan_schedule(current, START).upcoming[0].dose
        assert (upcoming.cycle, upcoming.give_mg) == (2, expected_mg)
    client.force_login(oncologist)
    page = client.get(reverse("administration:reduce", kwargs={"plan_pk": current.pk})).content.decode()
    assert "lowest label step" in page and f'value="{TDXD}"' not in page  # 3.2 mg/kg: stop, no further step
    refused = client.post(reverse("administration:reduce", kwargs={"plan_pk": current.pk}),
                          {"drug": TDXD, "reason": "More toxicity"})
    assert refused.status_code == 400 and current.case.plans.count() == 3
    assert [float(version.doses.get(drug=TDXD).final_mg) for version in current.case.plans.order_by("version")] == [
        378, 308, 224]  # never re-escalated
