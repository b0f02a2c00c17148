"""Regimens and doses D1-D7: the dose table, dispensing units and the rounding policy."""

import dataclasses
import re

import pytest

from regimens.doses import RoundingDecision, apply_rounding_policy, dispensing_units
from tests.regimens.helpers import REFRACTORY, dose, option, run, warning_codes

REFRACTORY_AND_ANTI_HER2 = REFRACTORY + ["trastuzumab", "pertuzumab"]


def test_D1_tucatinib_trastuzumab_doses_for_70_kg():
    tucatinib = option(run(), "tucatinib-trastuzumab")
    assert tucatinib["cycle_days"] == 21
    oral = dose(tucatinib, "tucatinib", "continuous")
    assert (oral["dose_mg"], oral["route"], oral["frequency"], oral["days"]) == (300.0, "PO", "BID", list(range(1, 22)))
    assert oral["units"] == "tablets: 2 x 150 mg per dose, twice daily"
    loading = dose(tucatinib, "trastuzumab", "loading")
    assert (loading["dose_mg"], loading["basis"], loading["route"]) == (560.0, "8 mg/kg x 70 kg", "IV")
    assert loading["days"] == [1] and loading["frequency"] == "once"
    assert loading["units"] == (
        "vials: 1 x 420 mg multi-dose + 1 x 150 mg (draw 410 mg from the multi-dose vial; the rest keeps 28 days "
        "refrigerated for later doses)"
    )
    maintenance = dose(tucatinib, "trastuzumab", "maintenance")
    assert (maintenance["dose_mg"], maintenance["frequency"]) == (420.0, "q21d")
    assert "missed or vomited dose is not made up" in oral["administration"]


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
    assert dose(opt, "trastuzumab_emtansine", "maintenance")["units"] == "vials: 1 x 160 mg + 1 x 100 mg (waste 8 mg)"


@pytest.mark.parametrize("weight, expected", [(70, 378.0), (63.3, 341.8), (81.25, 438.8), (20, 108.0)])
def test_D7_weight_based_dose_is_mg_per_kg_times_kg_to_1_decimal(weight, expected):
    tdxd = option(run(patient__weight_kg=weight), "trastuzumab-deruxtecan")
    assert tdxd["doses"][0]["dose_mg"] == expected


@pytest.mark.parametrize(
    "drug, mg, text",
    [
        ("trastuzumab", 600, "vials: 4 x 150 mg (waste 0 mg)"),
        ("trastuzumab_emtansine", 252, "vials: 1 x 160 mg + 1 x 100 mg (waste 8 mg)"),
        ("trastuzumab_emtansine", 320, "vials: 2 x 160 mg (waste 0 mg)"),
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


def test_D7_no_waste_is_shown_for_the_multi_dose_trastuzumab_vial():
    result = run()
    for opt in result["options"]:
        for line in opt["doses"]:
            if line["drug"] == "trastuzumab" and "multi-dose" in (line["units"] or ""):
                assert "waste" not in line["units"], line["units"]
    weekly = dose(option(result, "lapatinib-trastuzumab"), "trastuzumab", "maintenance")
    assert weekly["units"] == (
        "vials: 1 x 420 mg multi-dose (draw 140 mg from the multi-dose vial; the rest keeps 28 days refrigerated "
        "for later doses)"
    )
    maintenance = dose(option(result, "tucatinib-trastuzumab"), "trastuzumab", "maintenance")
    assert maintenance["units"] == "vials: 1 x 420 mg multi-dose (all of it used)"


def test_D7_single_dose_vials_are_used_in_full_and_the_rest_drawn_from_the_multi_dose_vial():
    units = dispensing_units("trastuzumab", 560)
    assert units.counts == ((420, 1), (150, 1))
    assert (units.waste_mg, units.kept_mg) == (0, 10)
    assert dispensing_units("trastuzumab", 560, multi_dose_single_use=True).waste_mg == 10


@pytest.mark.parametrize("mg, counts, waste", [(252.0, ((160, 1), (100, 1)), 8), (160.0, ((160, 1),), 0),
                                               (300.0, ((100, 3),), 0), (90.0, ((100, 1),), 10)])
def test_D7_trastuzumab_emtansine_single_dose_vials_100_and_160_mg(mg, counts, waste):
    units = dispensing_units("trastuzumab_emtansine", mg)
    assert (units.counts, units.waste_mg, units.kept_mg) == (counts, waste, 0)


EXPECTED_ADMINISTRATION = {
    ("tucatinib-trastuzumab", "trastuzumab", "loading"): "IV infusion over 90 minutes.",
    ("tucatinib-trastuzumab", "trastuzumab", "maintenance"): "over 30 to 90 minutes (30 minutes if earlier",
    ("lapatinib-trastuzumab", "trastuzumab", "loading"): "IV infusion over 90 minutes.",
    ("lapatinib-trastuzumab", "trastuzumab", "maintenance"): "IV infusion over 30 minutes.",
    ("pertuzumab-trastuzumab", "pertuzumab", "loading"): "IV infusion over 60 minutes; observe 30 to 60 minutes",
    ("pertuzumab-trastuzumab", "pertuzumab", "maintenance"): "over 30 to 60 minutes; observe 30 to 60 minutes",
    ("trastuzumab-deruxtecan", "trastuzumab_deruxtecan", "maintenance"): "prophylactic antiemetics before each dose",
    ("pertuzumab-trastuzumab-emtansine", "trastuzumab_emtansine", "maintenance"): "the first over 90 minutes, later",
    ("tucatinib-trastuzumab", "tucatinib", "continuous"): "about 12 hours apart, swallowed whole",
    ("lapatinib-trastuzumab", "lapatinib", "continuous"): "at least 1 hour before or 1 hour after food",
}


@pytest.mark.parametrize("key", sorted(EXPECTED_ADMINISTRATION), ids="-".join)
def test_D9_each_dose_line_says_how_it_is_given(key):
    regimen, drug, phase = key
    assert EXPECTED_ADMINISTRATION[key] in dose(option(run(), regimen), drug, phase)["administration"]


def test_D9_every_dose_line_of_every_option_has_its_administration():
    for opt in run()["options"]:
        for line in opt["doses"]:
            assert line["administration"], (opt["regimen"], line["drug"], line["phase"])
    pertuzumab = dose(option(run(), "pertuzumab-trastuzumab"), "pertuzumab", "loading")["administration"]
    assert "never mixed in one bag" in pertuzumab and "either order" in pertuzumab
    tdxd = dose(option(run(), "trastuzumab-deruxtecan"), "trastuzumab_deruxtecan", "maintenance")["administration"]
    assert "first over 90 minutes" in tdxd and "slow or interrupt" in tdxd and "moderately emetogenic" in tdxd


# Reference D10, in its order: the nonproprietary name with its brand (restated here, not read from the catalogue).
D10_NAMES = [
    ("trastuzumab", "trastuzumab"),
    ("pertuzumab", "pertuzumab (PERJETA)"),
    ("tucatinib", "tucatinib (TUKYSA)"),
    ("lapatinib", "lapatinib (TYKERB)"),
    ("trastuzumab_deruxtecan", "fam-trastuzumab deruxtecan-nxki (ENHERTU)"),
    ("trastuzumab_emtansine", "ado-trastuzumab emtansine (KADCYLA)"),
]


def dose_lines() -> list[dict]:
    return [line for opt in run()["options"] for line in opt["doses"]]


@pytest.mark.parametrize("drug, name", D10_NAMES)
def test_D10_every_dose_line_names_its_drug_with_its_brand(drug, name):
    names = {line["drug_name"] for line in dose_lines() if line["drug"] == drug}
    assert names == {name}, f"{drug} dose lines are named {names}"


def test_D10_names_every_drug_that_is_dosed():
    assert {line["drug"] for line in dose_lines()} <= {drug for drug, _ in D10_NAMES}


def test_D10_regimen_names_join_the_drug_names():
    names = {opt["regimen"]: opt["name"] for opt in run()["options"]}
    assert names["tucatinib-trastuzumab"] == "Tucatinib (TUKYSA) + trastuzumab"
    assert names["trastuzumab-deruxtecan"] == "Fam-trastuzumab deruxtecan-nxki (ENHERTU)"
    assert names["pertuzumab-trastuzumab-emtansine"] == "Pertuzumab (PERJETA) + ado-trastuzumab emtansine (KADCYLA)"


def test_D10_conjugate_dose_lines_say_do_not_substitute_and_others_do_not():
    for opt in run()["options"]:
        for line in opt["doses"]:
            if line["drug"] in ("trastuzumab_deruxtecan", "trastuzumab_emtansine"):
                other = "ado-trastuzumab emtansine" if line["drug"] == "trastuzumab_deruxtecan" else "fam-trastuzumab"
                assert "Do not substitute" in line["do_not_substitute"] and "for or with trastuzumab" in line[
                    "do_not_substitute"] and other in line["do_not_substitute"]
            else:
                assert line["do_not_substitute"] is None


def _all_text(value) -> list[str]:
    if isinstance(value, dict):
        return [text for key, item in value.items() if key not in ("drug", "regimen") for text in _all_text(item)]
    if isinstance(value, list):
        return [text for item in value for text in _all_text(item)]
    return [value] if isinstance(value, str) else []


@pytest.mark.parametrize("changes", [{}, {"prior_therapies": REFRACTORY_AND_ANTI_HER2}, {"ras": "mutant"},
                                     {"ild_history": True, "prior_therapies": REFRACTORY_AND_ANTI_HER2},
                                     {"prior_therapies": REFRACTORY_AND_ANTI_HER2 + ["trastuzumab_deruxtecan"]}])
def test_D10_the_conjugates_are_never_shortened(changes):
    for text in _all_text(run(**changes)):
        assert not re.search(r"(?<!fam-)trastuzumab deruxtecan(?!-nxki)", text, re.I), text
        assert not re.search(r"(?<!ado-)trastuzumab emtansine", text, re.I), text
