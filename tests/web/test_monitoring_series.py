"""The case's measurement series (issue 15, item 1): the wizard's values start them, and weight, LVEF, liver
tests and pregnancy status are added with their date and who recorded them, within the reference's hard
limits (S9). Pregnancy status only where S10 applies."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from her2app.cases.models import Case, ClinicalStatus
from her2app.monitoring.models import Kind, Measurement, PregnancyStatus, Source
from her2app.monitoring.series import case_series, record_from_case, values_from_clinical
from tests.factories import make_case
from tests.web.administration.helpers import add_measurement, post_measurement
from tests.web.case_helpers import field_block, post_step

pytestmark = pytest.mark.django_db


def _series_url(case) -> str:
    return reverse("monitoring:series", args=[case.pk])


# --- the wizard's values start the series ----------------------------------------------------------------
def test_saving_the_fitness_step_starts_the_weight_lvef_and_pregnancy_series(client, coordinator):
    case = make_case(coordinator)
    client.force_login(coordinator)
    post_step(client, case, "fitness")
    weight = Measurement.objects.get(case=case, kind=Kind.WEIGHT)
    lvef = Measurement.objects.get(case=case, kind=Kind.LVEF)
    assert (weight.value, weight.unit, weight.measured_on, weight.source) == (
        Decimal("70"), "kg", date(2026, 11, 20), Source.CASE)
    assert (lvef.value, lvef.measured_on, lvef.recorded_by) == (Decimal("60"), date(2026, 11, 1), coordinator)
    pregnancy = PregnancyStatus.objects.get(case=case)
    assert pregnancy.pregnant is False and pregnancy.source == Source.CASE


def test_changing_the_wizard_value_changes_its_entry_and_keeps_added_ones(client, coordinator, nurse):
    case = make_case(coordinator)
    client.force_login(coordinator)
    post_step(client, case, "fitness")
    add_measurement(case, Kind.WEIGHT, "71", date(2026, 11, 25), nurse)
    post_step(client, case, "fitness", weight_kg="69.5")
    weights = sorted(Measurement.objects.filter(case=case, kind=Kind.WEIGHT).values_list("source", "value"))
    assert weights == [(Source.CASE, Decimal("69.5")), (Source.ENTRY, Decimal("71"))]


def test_clearing_the_wizard_value_removes_its_entry(client, coordinator):
    case = make_case(coordinator)
    client.force_login(coordinator)
    post_step(client, case, "fitness")
    post_step(client, case, "fitness", lvef_percent="", lvef_date="")
    assert not Measurement.objects.filter(case=case, kind=Kind.LVEF).exists()


def test_S10_an_unknown_pregnancy_status_starts_no_entry_and_a_male_patient_has_no_series(coordinator):
    case = make_case(coordinator, clinical={"weight_kg": Decimal("70"), "pregnant": None})
    record_from_case(case, coordinator)
    assert not PregnancyStatus.objects.filter(case=case).exists()
    clinical = ClinicalStatus(weight_kg=None, lvef_percent=None, pregnant=False)
    assert values_from_clinical(clinical, "male", date(2026, 11, 1)) == []


def test_an_undated_wizard_value_keeps_the_day_it_was_first_saved(coordinator):
    case = make_case(coordinator, clinical={"weight_kg": Decimal("70")})
    record_from_case(case, coordinator)
    entry = Measurement.objects.get(case=case, kind=Kind.WEIGHT)
    Measurement.objects.filter(pk=entry.pk).update(measured_on=date(2026, 1, 5))
    record_from_case(case, coordinator)
    assert Measurement.objects.get(pk=entry.pk).measured_on == date(2026, 1, 5)


def test_the_data_migration_turns_existing_case_values_into_first_entries(coordinator):
    from importlib import import_module

    from django.apps import apps

    case = make_case(coordinator, clinical={"weight_kg": Decimal("64.5"), "weight_date": date(2026, 9, 1),
                                            "lvef_percent": 58, "pregnant": False})
    migration = import_module("her2app.monitoring.migrations.0002_series_from_case_records")
    migration.series_from_cases(apps, None)
    migration.series_from_cases(apps, None)  # twice: nothing doubled
    series = case_series(Case.objects.get(pk=case.pk))
    assert [(m.on, m.value) for m in series.weight_kg] == [(date(2026, 9, 1), 64.5)]
    assert [m.value for m in series.lvef_percent] == [58.0]
    assert [record.pregnant for record in series.pregnancy] == [False]


# --- adding measurements ------------------------------------------------------------------------------------
def test_a_nurse_records_a_weight_with_its_date_and_name(client, coordinator, nurse):
    case = make_case(coordinator)
    response = post_measurement(client, nurse, case, "weight", value="72.4", measured_on="2026-11-20")
    assert response.status_code == 302
    entry = Measurement.objects.get(case=case, kind=Kind.WEIGHT)
    assert (entry.value, entry.measured_on, entry.recorded_by, entry.source) == (
        Decimal("72.4"), date(2026, 11, 20), nurse, Source.ENTRY)
    page = client.get(_series_url(case)).content.decode()
    assert "72.4 kg" in page and "Nina Nurse" in page


@pytest.mark.parametrize(("value", "accepted"), [("19.9", False), ("20", True), ("350", True), ("350.1", False)])
def test_S9_weight_hard_limits(client, coordinator, value, accepted):
    case = make_case(coordinator)
    response = post_measurement(client, coordinator, case, "weight", value=value, measured_on="2026-11-20")
    assert Measurement.objects.filter(case=case).exists() is accepted
    if not accepted:
        assert response.status_code == 400
        block = field_block(response.content.decode(), "weight-value")
        assert "Weight must be between 20 and 350 kg (reference S9)." in block
        assert f'value="{value}"' in block  # nothing typed is lost


@pytest.mark.parametrize(("value", "accepted"), [("4", False), ("5", True), ("90", True), ("91", False)])
def test_S9_lvef_hard_limits(client, coordinator, value, accepted):
    case = make_case(coordinator)
    response = post_measurement(client, coordinator, case, "lvef", value=value, measured_on="2026-11-20")
    assert Measurement.objects.filter(case=case, kind=Kind.LVEF).exists() is accepted
    if not accepted:
        assert "LVEF must be between 5 and 90 % (reference S9)." in field_block(response.content.decode(),
                                                                              "lvef-value")


def test_a_date_in_the_future_is_refused_next_to_the_date(client, coordinator):
    case = make_case(coordinator)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = post_measurement(client, coordinator, case, "weight", value="70", measured_on=tomorrow)
    assert response.status_code == 400
    assert "The date cannot be in the future." in field_block(response.content.decode(), "weight-measured_on")


def test_M2_liver_tests_are_recorded_together_in_the_laboratory_unit(client, coordinator, oncologist):
    case = make_case(coordinator)
    post_measurement(client, oncologist, case, "liver", measured_on="2026-11-24", alt="31", ast="28", bilirubin="1.1",
          bilirubin_unit="mg/dL")
    entries = {m.kind: (m.value, m.unit, m.measured_on) for m in Measurement.objects.filter(case=case)}
    assert entries == {
        Kind.ALT: (Decimal("31"), "U/L", date(2026, 11, 24)),
        Kind.AST: (Decimal("28"), "U/L", date(2026, 11, 24)),
        Kind.BILIRUBIN: (Decimal("1.1"), "mg/dL", date(2026, 11, 24)),
    }


def test_liver_tests_need_one_value_and_no_negative_value(client, coordinator):
    case = make_case(coordinator)
    empty = post_measurement(client, coordinator, case, "liver", measured_on="2026-11-24", bilirubin_unit="µmol/L")
    assert "Enter at least one of ALT, AST and bilirubin." in field_block(empty.content.decode(), "liver-alt")
    negative = post_measurement(client, coordinator, case, "liver", measured_on="2026-11-24", ast="-3", bilirubin_unit="µmol/L")
    assert "greater than or equal to 0" in field_block(negative.content.decode(), "liver-ast")
    assert not Measurement.objects.filter(case=case).exists()


def test_S10_pregnancy_status_is_recorded_for_a_female_patient(client, coordinator):
    case = make_case(coordinator)
    post_measurement(client, coordinator, case, "pregnancy", basis="test", pregnant="false", breastfeeding="false",
          measured_on="2026-11-27")
    entry = PregnancyStatus.objects.get(case=case)
    assert (entry.basis, entry.pregnant, entry.breastfeeding, entry.measured_on) == (
        "test", False, False, date(2026, 11, 27))


def test_S10_no_pregnancy_series_for_a_male_patient(client, coordinator):
    case = make_case(coordinator)
    case.patient.sex = "male"
    case.patient.save()
    client.force_login(coordinator)
    assert "Pregnancy status" not in client.get(_series_url(case)).content.decode()
    response = post_measurement(client, coordinator, case, "pregnancy", basis="test", pregnant="false",
                     measured_on="2026-11-27")
    assert response.status_code == 404
    assert not PregnancyStatus.objects.exists()


def test_who_may_see_and_record(client, coordinator):
    case = make_case(coordinator)
    assert client.get(_series_url(case)).status_code == 302  # sign in first
    from django.contrib.auth.models import User

    outsider = User.objects.create_user("olga", password="x")
    client.force_login(outsider)
    assert client.get(_series_url(case)).status_code == 403
    assert client.post(_series_url(case), {"form": "weight", "weight-value": "70",
                                           "weight-measured_on": "2026-11-20"}).status_code == 403


def test_demo_cases_get_their_series_and_a_signed_plan_its_liver_tests(coordinator, oncologist):
    from her2app.demo.monitoring import record_demo_series
    from tests.web.plan_helpers import approved_plan
    from tests.factories import plannable_case as make_planned_case

    planned = make_planned_case(oncologist, mrn="MRN-7100")
    approved_plan(planned, oncologist)
    plain = make_case(coordinator, clinical={"weight_kg": Decimal("80")})
    record_demo_series([planned, plain], coordinator)
    record_demo_series([planned, plain], coordinator)  # twice: nothing doubled
    assert Measurement.objects.filter(case=planned, kind=Kind.ALT).count() == 1
    assert Measurement.objects.filter(case=planned, kind=Kind.WEIGHT).count() == 1
    assert not Measurement.objects.filter(case=plain, kind=Kind.ALT).exists()
    assert Measurement.objects.get(case=plain, kind=Kind.WEIGHT).value == Decimal("80")
