"""A weight, LVEF or pregnancy status recorded on the measurements page after approval becomes the case's current
value when it is the latest of its kind, so the engine input, the re-check and the plan holds read it (D7, S1,
S2, M1). An entry back-dated behind a newer value leaves the case record alone; liver tests never touch it.

The case: Alma Brightwater, 70 kg and LVEF 62% on 1 Sep 2026, not pregnant; tucatinib + trastuzumab approved
(trastuzumab loading 560 mg = 8 mg/kg x 70 kg). "Today" is 20 Nov 2026."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from conftest import today_is
from her2app.cases.changes import Change
from her2app.cases.models import Case, ClinicalStatus
from her2app.monitoring.models import Kind, Measurement, PregnancyStatus, Source
from her2app.monitoring.series import record_from_case
from her2app.plans.models import PlanState
from her2app.recheck.compare import recheck_all
from tests.web.administration.helpers import post_measurement
from tests.web.board_fixtures import SEEN, make_board_case, make_engine_plan
from tests.web.case_helpers import field_block, fitness_payload, post_step

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 20)
LOADING = "Tucatinib (TUKYSA) + trastuzumab: trastuzumab (loading)"


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    today_is(monkeypatch, TODAY)


@pytest.fixture
def plan(oncologist):
    case = make_board_case(oncologist)
    record_from_case(case, oncologist)  # the series starts from the case record, as after the wizard
    return make_engine_plan(case, oncologist, approve=True)


def _clinical(case) -> ClinicalStatus:
    return ClinicalStatus.objects.get(case=case)


def test_D7_a_recorded_weight_becomes_the_current_weight_by_its_recorder(client, nurse, oncologist, plan):
    version = Case.objects.get(pk=plan.case_id).version

    response = post_measurement(client, nurse, plan.case, "weight", value="80", measured_on="2026-11-19")

    assert response.status_code == 302
    clinical = _clinical(plan.case)
    assert (clinical.weight_kg, clinical.weight_date) == (Decimal("80.0"), date(2026, 11, 19))
    assert Case.objects.get(pk=plan.case_id).version == version + 1
    newest = clinical.history.order_by("-history_id").first()
    assert (newest.history_user, newest.history_change_reason) == (nurse, "Weight recorded on the measurements page")
    assert newest.prev_record.weight_kg == Decimal("70.0")
    client.force_login(oncologist)
    assert "80.0 kg (19 Nov 2026)" in client.get(reverse("cases:detail", args=[plan.case_id])).content.decode()


def test_D7_the_recheck_flags_the_approved_plan_whose_dose_differs(client, nurse, plan):
    post_measurement(client, nurse, plan.case, "weight", value="80", measured_on="2026-11-19")

    (result,) = recheck_all()

    assert result.differs and result.plan == plan
    assert Change("Weight", "70 kg", "80 kg") in result.data_changes
    assert Change(LOADING, "560 mg IV once (8 mg/kg x 70 kg)", "640 mg IV once (8 mg/kg x 80 kg)") in result.changes
    plan.refresh_from_db()
    assert plan.state == PlanState.APPROVED, "the readiness checklist judges the weight on the day, not a hold"


def test_a_back_dated_weight_joins_the_series_but_leaves_the_newer_current_weight(client, nurse, plan):
    version = Case.objects.get(pk=plan.case_id).version

    post_measurement(client, nurse, plan.case, "weight", value="80", measured_on="2026-08-15")  # before 1 Sep

    assert Measurement.objects.filter(case=plan.case, kind=Kind.WEIGHT, value=Decimal("80")).exists()
    clinical = _clinical(plan.case)
    assert (clinical.weight_kg, clinical.weight_date) == (Decimal("70.0"), SEEN)
    assert Case.objects.get(pk=plan.case_id).version == version
    assert not any(result.differs for result in recheck_all())
    plan.refresh_from_db()
    assert plan.state == PlanState.APPROVED


def test_S2_M1_a_fallen_lvef_is_current_shown_by_the_recheck_and_holds_the_plan_once(client, nurse, plan, capsys):
    post_measurement(client, nurse, plan.case, "lvef", value="45", measured_on="2026-11-19")

    clinical = _clinical(plan.case)
    assert (clinical.lvef_percent, clinical.lvef_date) == (45, date(2026, 11, 19))
    (result,) = recheck_all()
    assert Change("LVEF", "62%", "45%") in result.data_changes
    call_command("recheck_cases")
    assert "LVEF: 62% -> 45%" in capsys.readouterr().out
    assert any(change.label == "Blocking warning on Tucatinib (TUKYSA) + trastuzumab"
               and "LVEF below 50%" in change.new for change in result.changes)
    assert plan.transitions.filter(to_state=PlanState.ON_HOLD).count() == 1


def test_S2_an_lvef_is_recorded_in_whole_percent_as_the_case_record_holds_it(client, nurse, plan):
    response = post_measurement(client, nurse, plan.case, "lvef", value="49.5", measured_on="2026-11-19")

    assert response.status_code == 400
    block = field_block(response.content.decode(), "lvef-value")
    assert "Record LVEF in whole percent" in block and 'value="49.5"' in block
    assert _clinical(plan.case).lvef_percent == 62


def test_S1_a_positive_pregnancy_test_makes_the_plan_contraindicated_in_the_recheck(client, nurse, plan):
    post_measurement(client, nurse, plan.case, "pregnancy", basis="test", pregnant="true", breastfeeding="",
            measured_on="2026-11-20")

    clinical = _clinical(plan.case)
    assert (clinical.pregnant, clinical.breastfeeding) == (True, False)  # "not known" keeps the recorded answer
    (result,) = recheck_all()
    assert Change("Tier of Tucatinib (TUKYSA) + trastuzumab", "Preferred", "Contraindicated") in result.changes


def test_a_value_beside_a_current_value_now_out_of_range_is_still_recorded(client, nurse, plan):
    """The case action validates only the values it sets: an old record outside today's limits is not a 500."""
    ClinicalStatus.objects.filter(case=plan.case).update(weight_kg=Decimal("999.0"))

    assert post_measurement(client, nurse, plan.case, "lvef", value="58", measured_on="2026-11-19").status_code == 302

    assert (_clinical(plan.case).lvef_percent, _clinical(plan.case).weight_kg) == (58, Decimal("999.0"))


def test_liver_tests_leave_the_case_record_and_its_hepatic_impairment_alone(client, nurse, plan):
    version = Case.objects.get(pk=plan.case_id).version

    post_measurement(client, nurse, plan.case, "liver", measured_on="2026-11-19", alt="400", ast="380", bilirubin="60",
            bilirubin_unit="µmol/L")

    assert Measurement.objects.filter(case=plan.case, kind=Kind.ALT).exists()
    assert _clinical(plan.case).hepatic_impairment == "none"
    assert Case.objects.get(pk=plan.case_id).version == version


def test_a_wizard_save_after_a_recorded_value_writes_the_series_once(client, coordinator, nurse, oncologist):
    case = make_board_case(oncologist)
    client.force_login(coordinator)
    post_step(client, case, "fitness")
    post_measurement(client, nurse, case, "lvef", value="45", measured_on="2026-11-19")
    written = Measurement.history.filter(case_id=case.pk).count()

    client.force_login(coordinator)
    response = post_step(client, case, "fitness", lvef_percent="45", lvef_date="2026-11-19")

    assert response.status_code == 302
    lvefs = sorted(Measurement.objects.filter(case=case, kind=Kind.LVEF).values_list("source", "value", "measured_on"))
    assert lvefs == [(Source.CASE, Decimal("60"), date(2026, 11, 1)), (Source.ENTRY, Decimal("45"), date(2026, 11, 19))]
    assert Measurement.history.filter(case_id=case.pk).count() == written, "the baseline entry is not rewritten"
    assert PregnancyStatus.objects.filter(case=case).count() == 1


def test_an_editor_who_opened_the_case_before_the_recorded_weight_gets_a_conflict(client, coordinator, nurse, plan):
    opened = Case.objects.get(pk=plan.case_id).version
    post_measurement(client, nurse, plan.case, "weight", value="80", measured_on="2026-11-19")

    client.force_login(coordinator)
    stale = fitness_payload(opened, confirm_weight="70")  # 70 kg as the form showed it, confirmed
    response = client.post(reverse("cases:step", args=[plan.case_id, "fitness"]), stale)

    assert response.status_code == 200 and "Someone else saved this case" in response.content.decode()
    assert _clinical(plan.case).weight_kg == Decimal("80.0"), "the older form does not put 70 kg back"
