"""Readiness ("OK to treat") for each administration day of an approved plan (issue 15, item 2), computed
from the case's series. The plan: tucatinib + trastuzumab from 1 Dec 2026 for a 70 kg woman; trastuzumab
and tucatinib every 21 days (D1). Each line is green or red with its data; a red line is lifted only by an
oncologist's override with a reason, a line asking for the go-ahead by the oncologist's recorded go-ahead."""

from datetime import timedelta

import pytest
from django.urls import reverse

from her2app.monitoring.models import Kind, Measurement, PregnancyStatus, ReadinessDecision
from her2app.monitoring.readiness import administration_days, day_readiness, first_trastuzumab_dose_on
from tests.web.administration.helpers import add_measurement, add_measurements
from tests.web.case_helpers import field_block
from tests.factories import plannable_case as make_case
from tests.web.plan_helpers import CYCLE_2, START, approved_plan, draft_plan, verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(oncologist):
    return approved_plan(make_case(oncologist), oncologist)


def _line(plan, day, check):
    readiness = day_readiness(plan, day)
    return next(checked for checked in readiness.lines if checked.line.check == check)


def _day_url(plan, day):
    return reverse("monitoring:day", kwargs={"plan_pk": plan.pk, "day": day})


def _decide(client, plan, day, key: str, fields: dict):
    """POST a decision on the line `key` as the page does: with the data the line shows (`seen`)."""
    shown = day_readiness(plan, day).line(key)
    return client.post(_day_url(plan, day), {"line": key, "seen": shown.line.text if shown else "", **fields})


def test_administration_days_are_the_plans_calendar_dates(plan):
    days = administration_days(plan)
    assert set(days[START]) == {"trastuzumab", "tucatinib"}
    assert CYCLE_2 in days
    assert first_trastuzumab_dose_on(plan) == START


# --- weight (D7; the threshold is the institution's policy) ----------------------------------------------
@pytest.mark.parametrize(("weight", "status"), [(77, "ok"), (77.1, "not_ok"), (63, "ok"), (62.9, "not_ok")])
def test_weight_within_the_institutional_threshold_of_the_dosing_weight(plan, oncologist, weight, status):
    add_measurements(plan, oncologist, weight=weight)
    line = _line(plan, START, "weight")
    assert line.line.status == status
    assert f"{weight:g} kg" in line.line.text and "70 kg the doses were calculated from" in line.line.text


def test_weight_threshold_is_a_setting(plan, oncologist, settings):
    settings.READINESS_WEIGHT_CHANGE_PERCENT = 5
    add_measurements(plan, oncologist, weight=74)
    line = _line(plan, START, "weight")
    assert line.line.status == "not_ok" and "threshold is 5%" in line.line.text


# --- LVEF (M1) ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("measured_on", "status"), [(START, "ok"), (START - timedelta(days=1), "not_ok")])
def test_M1_lvef_measured_exactly_12_weeks_before_is_green_one_day_more_is_red(plan, oncologist, measured_on,
                                                                              status):
    add_measurements(plan, oncologist)
    Measurement.objects.filter(case=plan.case, kind=Kind.LVEF).update(measured_on=measured_on)
    day = START + timedelta(weeks=12)  # cycle 5 day 1
    line = _line(plan, day, "lvef")
    assert line.line.status == status
    if status == "not_ok":
        assert "an LVEF was due by" in line.line.text


@pytest.mark.parametrize(("later", "status"), [(54, "not_ok"), (55, "ok")])
def test_M1_withhold_at_exactly_16_points_from_baseline(plan, oncologist, later, status):
    add_measurements(plan, oncologist, lvef=70)  # 54 and 55 are above the lower limit of normal (50%)
    add_measurement(plan.case, Kind.LVEF, later, CYCLE_2 - timedelta(days=2), oncologist)
    line = _line(plan, CYCLE_2, "lvef")
    assert line.line.status == status
    if status == "not_ok":
        assert "withhold trastuzumab" in line.line.text and line.line.ref == "M1"


@pytest.mark.parametrize(("later", "status"), [(48, "not_ok"), (49, "ok")])
def test_M1_withhold_below_the_lower_limit_of_normal_with_exactly_10_points(plan, oncologist, later, status):
    add_measurements(plan, oncologist, lvef=58)  # LLN setting: 50% by default
    add_measurement(plan.case, Kind.LVEF, later, CYCLE_2 - timedelta(days=2), oncologist)
    assert _line(plan, CYCLE_2, "lvef").line.status == status


def test_M1_the_lower_limit_of_normal_is_a_setting(plan, oncologist, settings):
    settings.LVEF_LOWER_LIMIT_OF_NORMAL = 45
    add_measurements(plan, oncologist, lvef=58)
    add_measurement(plan.case, Kind.LVEF, 48, CYCLE_2 - timedelta(days=2), oncologist)  # 10 points, but not below 45
    assert _line(plan, CYCLE_2, "lvef").line.status == "ok"


# --- liver tests (M2): values and dates, the oncologist's go-ahead --------------------------------------
def test_M2_liver_tests_within_3_weeks_ask_for_the_go_ahead(plan, oncologist):
    add_measurements(plan, oncologist, liver_on=CYCLE_2 - timedelta(days=21))
    line = _line(plan, CYCLE_2, "liver_tests")
    assert line.line.status == "needs_oncologist" and line.blocks_given
    assert "ALT 20 U/L on" in line.line.text


def test_M2_liver_tests_older_than_3_weeks_are_red(plan, oncologist):
    add_measurements(plan, oncologist, liver_on=CYCLE_2 - timedelta(days=22))
    assert _line(plan, CYCLE_2, "liver_tests").line.status == "not_ok"


# --- pregnancy (S10, S1) --------------------------------------------------------------------------------
def test_S10_no_pregnancy_status_is_red_and_a_negative_test_is_green(plan, oncologist):
    assert _line(plan, START, "pregnancy").line.status == "not_ok"
    PregnancyStatus.objects.create(case=plan.case, basis="test", pregnant=False, measured_on=START,
                                   recorded_by=oncologist)
    assert _line(plan, START, "pregnancy").line.status == "ok"


def test_S1_pregnant_is_red(plan, oncologist):
    PregnancyStatus.objects.create(case=plan.case, basis="test", pregnant=True, measured_on=START,
                                   recorded_by=oncologist)
    assert _line(plan, START, "pregnancy").line.status == "not_ok"


# --- the page, overrides and go-aheads --------------------------------------------------------------------
def test_the_nurse_sees_each_line_green_or_red_with_its_data(client, plan, oncologist, nurse):
    add_measurements(plan, oncologist, weight=80)
    client.force_login(nurse)
    page = client.get(_day_url(plan, START)).content.decode()
    assert "Not ready" in page
    assert "Red: Not OK" in page and "80 kg" in page  # the weight line
    assert "Green: OK" in page  # pregnancy
    assert "Only an oncologist can override this line" in page
    assert 'name="weight--reason"' not in page  # no override form for a nurse


def test_a_nurse_cannot_override(client, plan, oncologist, nurse):
    add_measurements(plan, oncologist, weight=80)
    client.force_login(nurse)
    _decide(client, plan, START, "weight:", {"weight--reason": "fine"})
    assert not ReadinessDecision.objects.exists()
    assert _line(plan, START, "weight").blocks_given


def test_an_oncologist_overrides_a_red_line_only_with_a_reason(client, plan, oncologist):
    add_measurements(plan, oncologist, weight=80)
    client.force_login(oncologist)
    refused = _decide(client, plan, START, "weight:", {"weight--reason": "  "})
    assert refused.status_code == 400
    assert "This field is required." in field_block(refused.content.decode(), "weight--reason")
    _decide(client, plan, START, "weight:", {"weight--reason": "Weighed with a cast; doses stand."})
    decision = ReadinessDecision.objects.get()
    assert (decision.decision, decision.oncologist, decision.reason) == (
        "override", oncologist, "Weighed with a cast; doses stand.")
    assert "80 kg" in decision.line_text  # the data behind the decision is kept
    checked = _line(plan, START, "weight")
    assert checked.decision == decision and not checked.blocks_given


def test_an_override_does_not_carry_over_to_new_data(client, plan, oncologist):
    add_measurements(plan, oncologist, weight=80)
    client.force_login(oncologist)
    _decide(client, plan, START, "weight:", {"weight--reason": "Accepted."})
    add_measurement(plan.case, Kind.WEIGHT, 90, START, oncologist)
    assert _line(plan, START, "weight").blocks_given


def test_a_decision_on_data_that_changed_since_the_page_was_opened_is_refused(client, plan, oncologist):
    add_measurements(plan, oncologist, weight=80)
    client.force_login(oncologist)
    seen = day_readiness(plan, START).line("weight:").line.text
    add_measurement(plan.case, Kind.WEIGHT, 95, START, oncologist)  # someone records a new weight meanwhile
    response = client.post(_day_url(plan, START), {"line": "weight:", "seen": seen, "weight--reason": "Accepted."},
                           follow=True)
    assert not ReadinessDecision.objects.exists()
    assert "That line has changed" in response.content.decode() and "95 kg" in response.content.decode()


def test_the_nurse_records_the_oncologists_go_ahead_on_the_liver_tests(client, plan, oncologist, nurse):
    add_measurements(plan, oncologist)
    client.force_login(nurse)
    key = "liver_tests:tucatinib"
    response = _decide(client, plan, START, key, {"liver_tests-tucatinib-oncologist": oncologist.pk,
                                                  "liver_tests-tucatinib-reason": "Phoned 09:10"})
    assert response.status_code == 302
    decision = ReadinessDecision.objects.get()
    assert (decision.decision, decision.oncologist, decision.recorded_by) == ("go_ahead", oncologist, nurse)
    assert not _line(plan, START, "liver_tests").blocks_given
    assert not day_readiness(plan, START).blocks_given  # weight, LVEF, pregnancy green; liver go-ahead


def test_a_go_ahead_names_an_oncologist(client, plan, oncologist, nurse):
    add_measurements(plan, oncologist)
    client.force_login(nurse)
    response = _decide(client, plan, START, "liver_tests:tucatinib", {"liver_tests-tucatinib-oncologist": nurse.pk})
    assert response.status_code == 400
    assert "Select a valid choice" in field_block(response.content.decode(), "liver_tests-tucatinib-oncologist")
    assert not ReadinessDecision.objects.exists()


def test_a_day_without_administration_and_a_draft_plan_have_no_checklist(client, oncologist):
    case = make_case(oncologist)
    draft = draft_plan(case, oncologist)
    client.force_login(oncologist)
    assert client.get(_day_url(draft, START)).status_code == 404
    approved = approved_plan(make_case(oncologist, mrn="MRN-7002"), oncologist)
    assert client.get(_day_url(approved, START + timedelta(days=1))).status_code == 404
    assert client.get(f"/monitoring/plans/{approved.pk}/readiness/2026-02-30/").status_code == 404


def test_the_plan_pages_link_to_readiness(client, plan, oncologist, nurse):
    verified(plan)  # nurses see verified plans only
    client.force_login(nurse)
    readiness = reverse("monitoring:plan_days", args=[plan.pk])
    assert readiness in client.get(reverse("plans:nurse_plan", args=[plan.pk])).content.decode()
    days_page = client.get(readiness).content.decode()
    assert _day_url(plan, START) in days_page and _day_url(plan, CYCLE_2) in days_page
    client.force_login(oncologist)
    assert readiness in client.get(reverse("cases:detail", args=[plan.case.pk])).content.decode()


def test_overrides_and_measurements_are_in_the_case_history(client, plan, oncologist):
    add_measurements(plan, oncologist, weight=80)
    client.force_login(oncologist)
    _decide(client, plan, START, "weight:", {"weight--reason": "Weighed with a cast; doses stand."})
    page = client.get(reverse("audit:case_history", args=[plan.case.pk])).content.decode()
    assert "Plan v1 readiness 01 Dec 2026: Weight" in page
    assert "Weighed with a cast; doses stand." in page
    assert "Measurement: Weight" in page and "Pregnancy status" in page


def test_a_verified_and_a_held_plan_link_to_their_readiness(client, plan, oncologist, pharmacist):
    from her2app.plans import actions

    plan, _ = actions.verify_plan(plan, pharmacist)
    readiness = reverse("monitoring:plan_days", args=[plan.pk])
    client.force_login(oncologist)
    assert readiness in client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    plan = actions.hold_plan(plan, oncologist, "LVEF withhold (M1)")
    assert readiness in client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert client.get(readiness).status_code == 200
