"""Readiness ("OK to treat") for one administration day: weight (D7 with the institution's threshold), LVEF (M1,
M3, S2), liver tests (M2, M4) and pregnancy status (S10, S1)."""

from datetime import date

import pytest

from regimens.measurements import Measurement, PregnancyRecord
from regimens.readiness import CaseSeries, ReadinessPolicy, readiness
from tests.regimens.helpers import days, lvef

DAY = date(2026, 5, 4)
FIRST_DOSE = date(2026, 1, 12)
POLICY = ReadinessPolicy(weight_change_percent=10, lvef_lower_limit_of_normal=50)  # settings chosen for the tests


def kg(value: float, on: date = DAY) -> Measurement:
    return Measurement(on, value, "kg")


def liver(on: date, **skip) -> dict:
    values = {"alt": 30, "ast": 28, "bilirubin": 12}
    return {test: (Measurement(on, value, "U/L"),) for test, value in values.items() if test not in skip}


SERIES = CaseSeries(
    weight_kg=(kg(70, date(2026, 1, 5)), kg(70)),
    lvef_percent=(lvef(date(2026, 1, 5), 62), lvef(date(2026, 3, 2), 58)),
    liver=liver(DAY - days(3)),
    pregnancy=(PregnancyRecord(date(2026, 1, 5), False),),
)


def check(drugs, series=SERIES, *, weight_used_kg=70, sex="female", first_dose_on=FIRST_DOSE, day=DAY,
          policy=POLICY):
    return readiness(day, drugs, series, policy, weight_used_kg=weight_used_kg, sex=sex,
                     first_trastuzumab_dose_on=first_dose_on)


def line(result, name):
    (found,) = [item for item in result.lines if item.check == name]
    return found


def with_series(**changes) -> CaseSeries:
    return CaseSeries(**{**SERIES.__dict__, **changes})


def test_a_day_with_everything_in_order_is_ready_except_the_liver_go_ahead():
    result = check({"trastuzumab", "tucatinib"})
    assert [(item.check, item.status) for item in result.lines] == [
        ("weight", "ok"), ("lvef", "ok"), ("liver_tests", "needs_oncologist"), ("pregnancy", "ok")]
    assert result.blocks_given, "no numeric liver limits exist: the oncologist's go-ahead is always needed"
    assert line(result, "liver_tests").resolution == "go_ahead"


@pytest.mark.parametrize("weight, status", [(77, "ok"), (63, "ok"), (77.1, "not_ok"), (62.9, "not_ok")])
def test_D7_weight_within_the_institutions_threshold_at_exactly_10_percent(weight, status):
    result = check({"trastuzumab"}, with_series(weight_kg=(kg(weight),)))
    item = line(result, "weight")
    assert item.status == status and item.ref == "D7"
    assert "dose-recheck threshold is 10%" in item.text, "the threshold is shown as the institution's"
    assert item.resolution == (None if status == "ok" else "override")


def test_D7_weight_line_reads_the_data_behind_it():
    item = line(check({"trastuzumab"}, with_series(weight_kg=(kg(60),))), "weight")
    assert item.text.startswith("Weight 60 kg on 04 May 2026: 14.29% below the 70 kg the doses were calculated from")
    assert "recalculating" in item.text


def test_D7_the_threshold_is_the_policy_passed_in():
    strict = ReadinessPolicy(weight_change_percent=5, lvef_lower_limit_of_normal=50)
    assert line(check({"trastuzumab"}, with_series(weight_kg=(kg(66),)), policy=strict), "weight").status == "not_ok"


def test_S9_no_weight_recorded_is_not_ok():
    assert line(check({"trastuzumab"}, with_series(weight_kg=())), "weight").status == "not_ok"
    assert line(check({"trastuzumab"}, weight_used_kg=None), "weight").status == "not_ok"


def test_D7_weight_line_only_for_weight_based_drugs():
    assert [item.check for item in check({"pertuzumab"}).lines] == ["pregnancy"]


def test_measurements_after_the_day_are_ignored():
    later = with_series(weight_kg=(kg(70, DAY - days(1)), kg(50, DAY + days(1))))
    assert line(check({"trastuzumab"}, later), "weight").status == "ok"


@pytest.mark.parametrize("measured_days_ago, status", [(84, "ok"), (85, "not_ok")])
def test_M1_lvef_within_the_last_12_weeks(measured_days_ago, status):
    series = with_series(lvef_percent=(lvef(date(2026, 1, 5), 62), lvef(DAY - days(measured_days_ago), 60)))
    item = line(check({"trastuzumab"}, series), "lvef")
    assert (item.status, item.ref) == (status, "M1")
    if status == "not_ok":
        assert "an LVEF was due by" in item.text


def test_M1_a_withhold_criterion_met_against_the_baseline_is_not_ok():
    series = with_series(lvef_percent=(lvef(date(2026, 1, 5), 62), lvef(DAY - days(2), 46)))
    item = line(check({"trastuzumab"}, series), "lvef")
    assert item.status == "not_ok" and "withhold trastuzumab" in item.text


def test_M1_the_baseline_is_needed():
    series = with_series(lvef_percent=(lvef(FIRST_DOSE + days(1), 60),))
    item = line(check({"trastuzumab"}, series), "lvef")
    assert item.status == "not_ok" and "baseline" in item.text


def test_S2_before_the_first_dose_an_lvef_below_50_is_not_ok():
    series = with_series(lvef_percent=(lvef(DAY - days(7), 48),))
    item = line(check({"trastuzumab"}, series, first_dose_on=None), "lvef")
    assert (item.status, item.ref) == ("not_ok", "S2")


def test_M1_applies_to_trastuzumab_emtansine_too():
    assert line(check({"trastuzumab_emtansine"}), "lvef").ref == "M1"


def test_M3_trastuzumab_deruxtecan_lvef_needs_the_oncologists_go_ahead():
    item = line(check({"trastuzumab_deruxtecan"}), "lvef")
    assert (item.status, item.ref, item.drug) == ("needs_oncologist", "M3", "trastuzumab_deruxtecan")
    assert "no interval and no withhold criterion" in item.text and "LVEF 58% on 02 Mar 2026" in item.text
    no_baseline = with_series(lvef_percent=(lvef(FIRST_DOSE + days(1), 60),))
    assert line(check({"trastuzumab_deruxtecan"}, no_baseline), "lvef").status == "not_ok"


@pytest.mark.parametrize("tested_days_ago, status", [(21, "needs_oncologist"), (22, "not_ok")])
def test_M2_tucatinib_liver_tests_every_3_weeks(tested_days_ago, status):
    item = line(check({"tucatinib"}, with_series(liver=liver(DAY - days(tested_days_ago)))), "liver_tests")
    assert (item.status, item.ref) == (status, "M2")
    assert "ALT 30 U/L on" in item.text and "bilirubin 12 U/L on" in item.text


def test_M2_every_one_of_alt_ast_and_bilirubin_is_needed():
    item = line(check({"tucatinib"}, with_series(liver=liver(DAY, bilirubin=True))), "liver_tests")
    assert item.status == "not_ok" and "bilirubin not recorded" in item.text


def test_M2_M4_no_numeric_liver_threshold_is_applied():
    """Whatever the values, results in the window never make the line ok: the reference has no limits."""
    huge = with_series(liver={"alt": (Measurement(DAY, 900, "U/L"),), "ast": (Measurement(DAY, 5, "U/L"),),
                              "bilirubin": (Measurement(DAY, 1, "U/L"),)})
    assert line(check({"tucatinib"}, huge), "liver_tests").status == "needs_oncologist"
    assert line(check({"lapatinib"}, huge), "liver_tests").status == "needs_oncologist"


def test_M4_lapatinib_has_no_interval_so_old_results_are_shown_for_the_go_ahead():
    item = line(check({"lapatinib"}, with_series(liver=liver(DAY - days(90)))), "liver_tests")
    assert (item.status, item.ref) == ("needs_oncologist", "M4")
    assert "M4 gives no interval" in item.text
    assert line(check({"lapatinib"}, with_series(liver={})), "liver_tests").status == "not_ok"


def test_S10_pregnancy_status_needed_for_a_female_patient_only():
    assert line(check({"trastuzumab"}, with_series(pregnancy=())), "pregnancy").status == "not_ok"
    unknown = with_series(pregnancy=(PregnancyRecord(DAY, None),))
    assert line(check({"trastuzumab"}, unknown), "pregnancy").ref == "S10"
    assert "pregnancy" not in [item.check for item in check({"trastuzumab"}, sex="male").lines]


def test_S1_pregnant_or_breastfeeding_is_not_ok():
    pregnant = with_series(pregnancy=(PregnancyRecord(date(2026, 1, 5), False), PregnancyRecord(DAY, True)))
    assert (line(check({"trastuzumab"}, pregnant), "pregnancy").ref, check({"trastuzumab"}, pregnant).blocks_given) \
        == ("S1", True)
    feeding = with_series(pregnancy=(PregnancyRecord(DAY, False, breastfeeding=True),))
    assert "Breastfeeding" in line(check({"trastuzumab"}, feeding), "pregnancy").text


def test_lines_carry_readable_labels_not_codes():
    result = check({"trastuzumab", "tucatinib"})
    assert [item.label for item in result.lines] == ["Weight", "LVEF (heart function)", "Liver tests",
                                                     "Pregnancy status"]
    assert {item.status_label for item in result.lines} == {"OK", "Oncologist's go-ahead needed"}
    assert not any("_" in item.text for item in result.lines)
