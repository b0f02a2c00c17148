"""Regimens and doses D1-D7: the dose table, dispensing units and the rounding policy."""

import dataclasses

import pytest

from regimens.doses import RoundingDecision, apply_rounding_policy, dispensing_units
from tests.regimens.helpers import dose, option, run, warning_codes


def test_D1_tucatinib_trastuzumab_doses_for_70_kg():
    tucatinib = option(run(), "tucatinib-trastuzumab")
    assert tucatinib["cycle_days"] == 21
    oral = dose(tucatinib, "tucatinib", "continuous")
    assert (oral["dose_mg"], oral["route"], oral["frequency"], oral["days"]) == (300.0, "PO", "BID", list(range(1, 22)))
    assert oral["units"] == "tablets: 2 x 150 mg per dose, twice daily"
    loading = dose(tucatinib, "trastuzumab", "loading")
    assert (loading["dose_mg"], loading["basis"], loading["route"]) == (560.0, "8 mg/kg x 70 kg", "IV")
    assert loading["days"] == [1] and loading["frequency"] == "once"
    assert loading["units"] == "vials: 1 x 420 mg + 1 x 150 mg (waste 10 mg)"
    maintenance = dose(tucatinib, "trastuzumab", "maintenance")
    assert (maintenance["dose_mg"], maintenance["frequency"]) == (420.0, "q21d")
    assert "missed or vomited dose is not made up" in " ".join(tucatinib["monitoring"])


def test_D2_tucatinib_reduction_levels_are_printed():
    monitoring = " ".join(option(run(), "tucatinib-trastuzumab")["monitoring"])
    assert "300 -> 250 -> 200 -> 150 mg BID" in monitoring and "grade 4 -> discontinue" in monitoring
    assert "unable to tolerate 150 mg BID -> discontinue" in monitoring


def test_D3_pertuzumab_trastuzumab_doses():
    opt = option(run(), "pertuzumab-trastuzumab")
    assert dose(opt, "pertuzumab", "loading")["dose_mg"] == 840.0
    assert dose(opt, "pertuzumab", "loading")["units"] == "vials: 2 x 420 mg (waste 0 mg)"
    assert dose(opt, "pertuzumab", "maintenance")["dose_mg"] == 420.0
    assert dose(opt, "pertuzumab", "maintenance")["frequency"] == "q3w"
    assert dose(opt, "trastuzumab", "loading")["dose_mg"] == 560.0
    assert dose(opt, "trastuzumab", "maintenance")["dose_mg"] == 420.0
    assert "no dose reductions" in " ".join(opt["monitoring"])


def test_D4_lapatinib_trastuzumab_weekly_and_trial_dose_note():
    opt = option(run(), "lapatinib-trastuzumab")
    assert opt["cycle_days"] == 21
    assert dose(opt, "trastuzumab", "loading")["dose_mg"] == 280.0
    weekly = dose(opt, "trastuzumab", "maintenance")
    assert (weekly["dose_mg"], weekly["frequency"], weekly["days"]) == (140.0, "weekly", [1, 8, 15])
    lapatinib = dose(opt, "lapatinib", "continuous")
    assert (lapatinib["dose_mg"], lapatinib["frequency"]) == (1000.0, "daily")
    assert lapatinib["units"] == "tablets: 4 x 250 mg per dose, once daily"
    note = [w for w in opt["warnings"] if w["code"] == "lapatinib_trial_dose"][0]
    assert "trial dose" in note["text"] and "not a US-label dose" in note["text"]
    assert "lapatinib_kras_exon2" in warning_codes(opt)


def test_D5_trastuzumab_deruxtecan_5_4_mg_per_kg():
    opt = option(run(), "trastuzumab-deruxtecan")
    only = dose(opt, "trastuzumab_deruxtecan", "maintenance")
    assert (only["dose_mg"], only["basis"], only["frequency"]) == (378.0, "5.4 mg/kg x 70 kg", "q3w")
    assert only["units"] == "vials: 4 x 100 mg (waste 22 mg)"
    assert "5.4 -> 4.4 -> 3.2 mg/kg" in " ".join(opt["monitoring"])
    assert "tdxd_not_interchangeable" in warning_codes(opt)
    approval = [w for w in opt["warnings"] if w["code"] == "tdxd_tumour_agnostic"][0]
    assert "5 April 2024" in approval["text"] and "HER2 IHC 3+" in approval["text"]


def test_D6_pertuzumab_trastuzumab_emtansine_doses_for_completeness():
    opt = option(run(), "pertuzumab-trastuzumab-emtansine")
    assert dose(opt, "pertuzumab", "loading")["dose_mg"] == 840.0
    assert dose(opt, "trastuzumab_emtansine", "maintenance")["dose_mg"] == 252.0
    assert dose(opt, "trastuzumab_emtansine", "maintenance")["units"] is None, "vial sizes are not in the reference"


@pytest.mark.parametrize("weight, expected", [(70, 378.0), (63.3, 341.8), (81.25, 438.8), (20, 108.0)])
def test_D7_weight_based_dose_is_mg_per_kg_times_kg_to_1_decimal(weight, expected):
    tdxd = option(run(patient__weight_kg=weight), "trastuzumab-deruxtecan")
    assert tdxd["doses"][0]["dose_mg"] == expected


@pytest.mark.parametrize(
    "drug, mg, text",
    [
        ("trastuzumab", 560, "vials: 1 x 420 mg + 1 x 150 mg (waste 10 mg)"),
        ("trastuzumab", 420, "vials: 1 x 420 mg (waste 0 mg)"),
        ("trastuzumab", 140, "vials: 1 x 150 mg (waste 10 mg)"),
        ("trastuzumab", 600, "vials: 4 x 150 mg (waste 0 mg)"),
        ("trastuzumab_deruxtecan", 378, "vials: 4 x 100 mg (waste 22 mg)"),
        ("pertuzumab", 840, "vials: 2 x 420 mg (waste 0 mg)"),
        ("tucatinib", 250, "tablets: 1 x 150 mg + 2 x 50 mg per dose"),
        ("lapatinib", 1000, "tablets: 4 x 250 mg per dose"),
    ],
)
def test_D7_dispensing_units_smallest_waste(drug, mg, text):
    assert dispensing_units(drug, mg).text == text


def test_D7_dispensing_units_accepts_institutional_vial_sizes():
    units = dispensing_units("trastuzumab", 560, {"trastuzumab": (60, 150)})
    assert units.counts == ((150, 3), (60, 2)) and units.waste_mg == 10


@pytest.mark.parametrize(
    "calculated, final, tolerance, deviation, reason",
    [
        (560.0, 560.0, None, 0.0, False),
        (560.0, 570.0, None, 1.785714, True),
        (560.0, 570.0, 5, 1.785714, False),
        (400.0, 420.0, 5, 5.0, False),
        (400.0, 421.0, 5, 5.25, True),
        (400.0, 440.0, 10, 10.0, False),
        (400.0, 360.0, 5, 10.0, True),
    ],
)
def test_D7_rounding_policy(calculated, final, tolerance, deviation, reason):
    decision = apply_rounding_policy(calculated, final, tolerance)
    assert decision == RoundingDecision(calculated, final, deviation, reason)
    with pytest.raises(dataclasses.FrozenInstanceError):
        decision.final_mg = 1.0  # type: ignore[misc]
