"""The electronic administration record (issue 15, item 3) and the schedule that follows it (item 4, D8).

The plan: tucatinib + trastuzumab from 1 Dec 2026 for a 70 kg woman (R6); trastuzumab every 21 days, loading
8 mg/kg on cycle 1, then 6 mg/kg (D1). Only a verified plan that is not on hold is given; "given" needs a
readiness checklist with no red line left and a second nurse's independent check (a password)."""

import re
from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import password_of
from her2app.administration.models import Administration, NotGivable, ReloadConfirmation, SupplyRecord
from her2app.administration.schedule import confirm_reload, plan_schedule
from her2app.monitoring.readiness import day_readiness
from her2app.plans.models import NotAdministrable, PlanState
from tests.factories import plannable_case as make_case
from tests.web.administration.helpers import (
    add_measurements,
    give,
    given_entry,
    given_form,
    record_url,
    resolve_readiness,
)
from tests.web.plan_helpers import ALTERNATIVE, CYCLE_2, CYCLE_3, START, approved_plan, verified

pytestmark = pytest.mark.django_db


# --- only verified, not-held plans are given ---------------------------------------------------------------
def test_given_is_refused_for_a_plan_not_yet_verified(oncologist, nurse, second_nurse):
    plan = approved_plan(make_case(oncologist), oncologist)
    with pytest.raises(NotAdministrable, match="awaiting verification"):
        given_entry(plan, nurse, second_nurse, 1, START).save()


def test_given_is_refused_for_a_plan_on_hold(plan, oncologist, nurse, second_nurse):
    resolve_readiness(plan, START, oncologist)
    plan.set_state(PlanState.ON_HOLD, oncologist, reason="LVEF fell")
    with pytest.raises(NotAdministrable, match="on hold"):
        given_entry(plan, nurse, second_nurse, 1, START).save()
    assert not Administration.objects.exists()


# --- readiness: a red line blocks "given" until an oncologist overrides it -----------------------------------
def test_a_red_weight_line_blocks_given_until_the_oncologist_overrides(oncologist, nurse, second_nurse):
    plan = verified(approved_plan(make_case(oncologist), oncologist))
    add_measurements(plan, oncologist, weight=80)  # > 10% above the 70 kg the doses were calculated from
    weight = next(line for line in day_readiness(plan, START).lines if line.line.check == "weight")
    assert weight.blocks_given and weight.line.status == "not_ok"
    with pytest.raises(NotGivable, match="red line"):
        given_entry(plan, nurse, second_nurse, 1, START, dose="560").save()
    resolve_readiness(plan, START, oncologist)
    given_entry(plan, nurse, second_nurse, 1, START, dose="560").save()
    assert Administration.objects.get().checked_by == second_nurse


# --- the second nurse's independent check -----------------------------------------------------------------
def test_given_needs_a_second_nurse_other_than_the_recorder(plan, oncologist, nurse, second_nurse):
    resolve_readiness(plan, START, oncologist)
    for checker in (None, nurse, oncologist):  # nobody, the same nurse, a user without the nurse role
        with pytest.raises(NotGivable, match="second nurse"):
            given_entry(plan, nurse, checker, 1, START, dose="560").save()
    given_entry(plan, nurse, second_nurse, 1, START, dose="560").save()


def test_held_and_delayed_need_a_reason_and_delayed_its_date(plan, nurse):
    held = Administration(plan=plan, drug="trastuzumab", cycle=1, day=1, scheduled_on=START, status="held",
                          recorded_by=nurse)
    with pytest.raises(ValidationError) as error:
        held.full_clean()
    assert "reason" in error.value.message_dict
    delayed = Administration(plan=plan, drug="trastuzumab", cycle=1, day=1, scheduled_on=START, status="delayed",
                             reason="Neutropenia", recorded_by=nurse)
    with pytest.raises(ValidationError) as error:
        delayed.full_clean()
    assert list(error.value.message_dict) == ["delayed_until"]


@pytest.mark.parametrize("grade", [1, 5])
def test_an_infusion_reaction_ctcae_grade_needs_a_note(plan, nurse, second_nurse, grade):
    entry = given_entry(plan, nurse, second_nurse, 1, START)
    entry.reaction_grade = grade
    with pytest.raises(ValidationError) as error:
        entry.full_clean()
    assert list(error.value.message_dict) == ["reaction_note"]


def test_given_needs_dose_times_and_batch(plan, nurse, second_nurse):
    entry = Administration(plan=plan, drug="trastuzumab", cycle=1, day=1, scheduled_on=START, status="given",
                           recorded_by=nurse, checked_by=second_nurse, started_at=time(10), ended_at=time(9))
    with pytest.raises(ValidationError) as error:
        entry.full_clean()
    assert {"given_on", "dose_mg", "batch", "ended_at"} <= set(error.value.message_dict)


# --- the page: the second nurse re-enters their password -------------------------------------------------
def test_page_refuses_a_wrong_second_nurse_password_and_keeps_what_was_typed(client, plan, oncologist, nurse,
                                                                              second_nurse):
    resolve_readiness(plan, START, oncologist)
    client.force_login(nurse)
    response = client.post(record_url(plan), given_form(second_nurse, "wrong"))
    assert response.status_code == 400
    assert "That password is not correct for the second nurse." in response.content.decode()
    assert 'value="LOT-7"' in response.content.decode()
    assert not Administration.objects.exists()


def test_page_records_a_given_dose_with_the_second_nurses_check_and_history(client, plan, oncologist, nurse,
                                                                             second_nurse):
    resolve_readiness(plan, START, oncologist)
    client.force_login(nurse)
    response = client.post(record_url(plan), given_form(second_nurse, password_of("nadia")))
    assert response.status_code == 302
    entry = Administration.objects.get()
    assert (entry.recorded_by, entry.checked_by, entry.dose_mg, entry.batch) == (nurse, second_nurse, 560, "LOT-7")
    assert entry.history.count() == 1
    page = client.get(reverse("administration:plan", kwargs={"plan_pk": plan.pk})).content.decode()
    assert "LOT-7" in page and "Nadia Second" in page


def test_page_shows_the_refusal_when_readiness_is_red(client, oncologist, nurse, second_nurse):
    plan = verified(approved_plan(make_case(oncologist), oncologist))
    add_measurements(plan, oncologist, weight=80)
    client.force_login(nurse)
    response = client.post(record_url(plan), given_form(second_nurse, password_of("nadia")))
    assert response.status_code == 400
    assert "red line without an oncologist" in response.content.decode()
    assert not Administration.objects.exists()


def test_record_page_shows_each_readiness_line_with_its_data(client, oncologist, nurse):
    plan = verified(approved_plan(make_case(oncologist), oncologist))
    add_measurements(plan, oncologist, weight=80)
    client.force_login(nurse)
    page = client.get(record_url(plan)).content.decode()
    assert re.search(r"<strong>Weight</strong>\s*<span class=\"badge\">Red: Not OK</span>\s*Weight 80 kg on", page)
    assert "14.29% above the 70 kg the doses were calculated from, more than 10%" in page


def test_page_records_a_delayed_dose_without_the_prefilled_given_values(client, plan, nurse, second_nurse):
    client.force_login(nurse)
    until = START + timedelta(days=9)
    response = client.post(record_url(plan), given_form(second_nurse, "", status="delayed", reason="Patient away",
                                                     delayed_until=until.isoformat()))
    assert response.status_code == 302
    entry = Administration.objects.get()
    assert (entry.status, entry.delayed_until, entry.reason) == ("delayed", until, "Patient away")
    assert (entry.given_on, entry.dose_mg, entry.started_at, entry.ended_at, entry.batch, entry.checked_by) == (
        None, None, None, None, "", None)


def test_record_page_is_not_found_for_an_unverified_plan(client, oncologist, nurse):
    plan = approved_plan(make_case(oncologist), oncologist)
    client.force_login(nurse)
    assert client.get(record_url(plan)).status_code == 404


# --- oral drugs: a supply record per cycle -----------------------------------------------------------------
def test_oral_supply_is_recorded_once_per_cycle(client, plan, nurse):
    client.force_login(nurse)
    url = reverse("administration:supply", kwargs={"plan_pk": plan.pk, "drug": "tucatinib", "cycle": 1})
    assert client.post(url, {"tablets": "84", "dispensed_on": START.isoformat()}).status_code == 302
    again = client.post(url, {"tablets": "84", "dispensed_on": START.isoformat()})
    assert again.status_code == 400 and "already recorded" in again.content.decode()
    assert SupplyRecord.objects.get().tablets == 84


@pytest.mark.parametrize(("drug", "cycle"), [("trastuzumab", 1), ("lapatinib", 1), ("tucatinib", 40)])
def test_oral_supply_page_is_not_found_for_a_supply_the_plan_does_not_have_due(client, plan, nurse, drug, cycle):
    client.force_login(nurse)
    url = reverse("administration:supply", kwargs={"plan_pk": plan.pk, "drug": drug, "cycle": cycle})
    assert client.get(url).status_code == 404
    assert client.post(url, {"tablets": "84", "dispensed_on": START.isoformat()}).status_code == 404
    assert not SupplyRecord.objects.exists()


# --- D8: the schedule follows what was given -------------------------------------------------------------
def _two_cycles_given(plan, nurse, checker, oncologist):
    give(plan, nurse, checker, oncologist, 1, START, START, dose="560")
    give(plan, nurse, checker, oncologist, 2, CYCLE_2, CYCLE_2)


@pytest.mark.parametrize(("days_late", "reload"), [(7, False), (8, True)])
def test_d8_trastuzumab_more_than_one_week_late_proposes_the_reload(plan, oncologist, nurse, second_nurse,
                                                                    days_late, reload):
    _two_cycles_given(plan, nurse, second_nurse, oncologist)
    schedule = plan_schedule(plan, CYCLE_3 + timedelta(days=days_late))
    item = schedule.find("trastuzumab", 3, 1)
    assert item.dose.days_late == days_late and item.dose.cycle == 3
    assert item.dose.needs_confirmation is reload
    assert item.dose.give_mg == (560 if reload else 420)  # 8 mg/kg re-load, else 6 mg/kg (70 kg)
    assert item.dose.ref == ("D8" if reload else item.dose.ref)


def test_d8_reload_is_given_only_after_the_oncologists_confirmation(plan, oncologist, nurse, second_nurse):
    _two_cycles_given(plan, nurse, second_nurse, oncologist)
    late = CYCLE_3 + timedelta(days=9)
    resolve_readiness(plan, CYCLE_3, oncologist)
    with pytest.raises(NotGivable, match="confirms the re-load"):
        given_entry(plan, nurse, second_nurse, 3, late, scheduled=CYCLE_3, dose="560").save()
    confirmation = confirm_reload(plan_schedule(plan, late), "trastuzumab", 3, 1, oncologist)
    assert confirmation.dose_mg == 560
    assert not plan_schedule(plan, late).find("trastuzumab", 3, 1).awaits_confirmation
    given_entry(plan, nurse, second_nurse, 3, late, scheduled=CYCLE_3, dose="560").save()
    # the next cycle counts from the real date: cycle 4 day 1 is 21 days after the late cycle 3
    cycle_4 = plan_schedule(plan, late).find("trastuzumab", 4, 1)
    assert cycle_4.dose.date == late + timedelta(days=21) and not cycle_4.dose.needs_confirmation


def test_confirm_reload_is_refused_when_none_is_proposed(plan, oncologist, nurse, second_nurse):
    _two_cycles_given(plan, nurse, second_nurse, oncologist)
    with pytest.raises(ValueError):
        confirm_reload(plan_schedule(plan, CYCLE_3 + timedelta(days=7)), "trastuzumab", 3, 1, oncologist)
    assert not ReloadConfirmation.objects.exists()


def test_confirm_reload_page_is_for_oncologists(client, plan, oncologist, nurse, second_nurse):
    _two_cycles_given(plan, nurse, second_nurse, oncologist)
    url = reverse("administration:confirm_reload", kwargs={"plan_pk": plan.pk, "drug": "trastuzumab", "cycle": 3,
                                                           "day": 1})
    client.force_login(nurse)
    assert client.post(url).status_code == 403
    assert not ReloadConfirmation.objects.exists()


# --- D8 for pertuzumab: six weeks or more since the last dose is a re-load ----------------------------------
@pytest.fixture
def pertuzumab_plan(oncologist):
    plan = verified(approved_plan(make_case(oncologist), oncologist, ALTERNATIVE,
                                  override_reason="Tucatinib not tolerated before"))
    add_measurements(plan, oncologist)
    return plan


@pytest.mark.parametrize(("days_since", "reload"), [(41, False), (42, True)])
def test_d8_pertuzumab_six_weeks_since_the_last_dose_is_a_reload(pertuzumab_plan, oncologist, nurse, second_nurse,
                                                                 days_since, reload):
    plan = pertuzumab_plan
    give(plan, nurse, second_nurse, oncologist, 1, START, START, drug="pertuzumab", dose="840")
    give(plan, nurse, second_nurse, oncologist, 1, START, START, dose="560")
    item = plan_schedule(plan, START + timedelta(days=days_since)).find("pertuzumab", 2, 1)
    assert item.dose.needs_confirmation is reload
    assert item.dose.give_mg == (840 if reload else 420)


# --- D2 / D5 / D3: dose reductions as plan revisions --------------------------------------------------------
def test_d2_tucatinib_reduction_is_a_revision_verified_again(plan, oncologist):
    from her2app.administration.reductions import reduce_dose
    from her2app.plans import actions

    revision = reduce_dose(plan, oncologist, "tucatinib", "Grade 3 diarrhoea despite loperamide.",
                           "grade3_despite_antidiarrhoeals")
    assert revision.is_draft and revision.supersedes == plan and revision.version == plan.version + 1
    tucatinib = revision.doses.get(drug="tucatinib")
    assert tucatinib.final_mg == 250 and "D2" in tucatinib.adjustment_reason
    revision, _ = actions.approve_plan(revision, oncologist)
    assert revision.state == PlanState.APPROVED  # not given until the pharmacist verifies it again
    with pytest.raises(NotAdministrable):
        revision.check_administrable()


def test_d2_tucatinib_steps_300_250_200_150_then_stop(plan, oncologist):
    from her2app.administration.reductions import reduce_dose
    from her2app.plans import actions

    current = plan
    for expected in (250, 200, 150):
        current = reduce_dose(current, oncologist, "tucatinib", "Intolerance")
        assert current.doses.get(drug="tucatinib").final_mg == expected
        current = verified(actions.approve_plan(current, oncologist)[0])
    with pytest.raises(ValueError, match="lowest label step"):
        reduce_dose(current, oncologist, "tucatinib", "Intolerance")


def test_d2_grade_4_diarrhoea_is_not_a_reduction(plan, oncologist):
    from her2app.administration.reductions import reduce_dose

    with pytest.raises(ValueError, match="discontinue"):
        reduce_dose(plan, oncologist, "tucatinib", "Grade 4 diarrhoea", "grade4")


def test_d3_pertuzumab_has_no_reductions(pertuzumab_plan, oncologist):
    from her2app.administration.reductions import offers, reduce_dose

    assert {offer.drug: offer.step.action for offer in offers(pertuzumab_plan)}["pertuzumab"] == "no_reductions"
    with pytest.raises(ValueError, match="no dose reductions"):
        reduce_dose(pertuzumab_plan, oncologist, "pertuzumab", "Diarrhoea")


def test_reduce_page_offers_only_the_label_step_and_creates_the_revision(client, plan, oncologist):
    client.force_login(oncologist)
    url = reverse("administration:reduce", kwargs={"plan_pk": plan.pk})
    page = client.get(url).content.decode()
    assert "Reduce tucatinib (TUKYSA) from 300 mg to 250 mg twice daily (D2 label step)" in page
    assert "Trastuzumab 420 mg: the reference gives no dose reductions for it" in page  # the maintenance dose
    response = client.post(url, {"drug": "trastuzumab", "reason": "x"})
    assert response.status_code == 400  # trastuzumab has no label step: not a choice
    response = client.post(url, {"drug": "tucatinib", "diarrhoea_rule": "grade3_despite_antidiarrhoeals",
                                 "reason": "Grade 3 diarrhoea"})
    revision = plan.case.plans.get(version=plan.version + 1)
    assert response.status_code == 302 and revision.doses.get(drug="tucatinib").final_mg == 250
