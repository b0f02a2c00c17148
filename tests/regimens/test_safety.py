"""Safety modifiers S1-S9: they only lower tiers and add warnings, never change the recommendation."""

import re

import pytest

import regimens
from regimens import catalogue as cat
from tests.regimens.helpers import dose, make_case, option, run, tiers, warning_codes

ANTI_HER2 = cat.ANTI_HER2_REGIMENS


def blocking(opt: dict) -> list[str]:
    return [w["code"] for w in opt["warnings"] if w["severity"] == "blocking"]


@pytest.mark.parametrize("field", ["patient__pregnant", "patient__breastfeeding"])
def test_S1_pregnant_or_breastfeeding_contraindicates_every_anti_her2_option(field):
    result = run(**{field: True})
    for code in ANTI_HER2:
        assert tiers(result)[code] == "contraindicated"
        assert "pregnancy" in blocking(option(result, code))
    assert tiers(result)["clinical-trial"] == "consider"
    assert result["recommendation"] == run()["recommendation"], "safety never changes the recommendation"
    assert "no anti-HER2 regimen can be given" in result["summary"] and "Pregnant or breastfeeding" in result["summary"]


def test_S1_contraception_for_7_months_after_trastuzumab_is_monitored():
    monitoring = " ".join(option(run(), "pertuzumab-trastuzumab")["monitoring"])
    assert "7 months after the last trastuzumab dose" in monitoring


def test_S2_lvef_below_50_contraindicates_trastuzumab_and_conjugates():
    result = run(lvef_percent=49)
    for code in ANTI_HER2:
        assert tiers(result)[code] == "contraindicated", f"{code} contains trastuzumab or a conjugate"
        assert "lvef_low" in blocking(option(result, code))
    assert tiers(run(lvef_percent=50))["tucatinib-trastuzumab"] == "preferred"


def test_S2_lvef_unknown_caution_and_missing_data():
    result = run(lvef_percent=None)
    assert "lvef_percent" in result["missing_data"]
    warning = [w for w in result["warnings"] if w["code"] == "lvef_unknown"][0]
    assert warning["severity"] == "caution" and "Baseline LVEF" in warning["text"]
    assert tiers(result)["tucatinib-trastuzumab"] == "preferred", "unknown LVEF warns but does not lower a tier"


def test_S3_ild_history_makes_trastuzumab_deruxtecan_not_recommended_with_blocking_warning():
    result = run(ild_history=True, prior_therapies=["trastuzumab", "fluoropyrimidine"])
    tdxd = option(result, "trastuzumab-deruxtecan")
    assert tdxd["tier"] == "not_recommended" and "ild_history" in blocking(tdxd)
    assert "S3" in tdxd["refs"]
    assert "Lowered to not recommended (S3)" in tdxd["rationale"], "the rationale says why the tier is lower"


def test_S4_severe_hepatic_impairment_tucatinib_200_mg_bid():
    result = run(hepatic_impairment="severe")
    tucatinib = option(result, "tucatinib-trastuzumab")
    assert dose(tucatinib, "tucatinib", "continuous")["dose_mg"] == 200.0
    assert dose(tucatinib, "tucatinib", "continuous")["frequency"] == "BID"
    assert "hepatic_severe_tucatinib" in warning_codes(tucatinib)
    assert tucatinib["tier"] == "preferred", "a tucatinib caution, not a lower tier"


@pytest.mark.parametrize("level", ["mild", "moderate"])
def test_S4_mild_or_moderate_hepatic_impairment_no_tucatinib_change(level):
    tucatinib = option(run(hepatic_impairment=level), "tucatinib-trastuzumab")
    assert dose(tucatinib, "tucatinib", "continuous")["dose_mg"] == 300.0
    assert not warning_codes(tucatinib)


def test_S5_strong_cyp2c8_inhibitor_tucatinib_100_mg_bid_with_caution():
    tucatinib = option(run(strong_cyp2c8_inhibitor=True), "tucatinib-trastuzumab")
    assert dose(tucatinib, "tucatinib", "continuous")["dose_mg"] == 100.0
    assert dose(tucatinib, "tucatinib", "continuous")["units"].startswith("tablets: 2 x 50 mg")
    warning = [w for w in tucatinib["warnings"] if w["code"] == "cyp2c8_inhibitor"][0]
    assert warning["severity"] == "caution" and "avoid the combination" in warning["text"]


def test_S6_msi_high_caution_checkpoint_inhibitor_first():
    warning = [w for w in run(msi="msi_high")["warnings"] if w["code"] == "msi_high"][0]
    assert warning["severity"] == "caution" and "immune checkpoint" in warning["text"]


def test_S7_braf_v600e_caution_on_signal_transduction_and_info_on_braf_therapy():
    result = run(braf_v600e="mutant")
    for code in cat.SIGNAL_TRANSDUCTION_REGIMENS:
        assert "braf_v600e" in warning_codes(option(result, code))
    assert "braf_v600e" not in warning_codes(option(result, "trastuzumab-deruxtecan"))
    info = [w for w in result["warnings"] if w["code"] == "braf_targeted_therapy"][0]
    assert info["severity"] == "info" and "encorafenib + cetuximab" in info["text"]


def test_S8_ecog_3_or_more_caution_on_every_option():
    result = run(ecog=3)
    assert all("ecog_high" in warning_codes(opt) for opt in result["options"])
    assert not any("ecog_high" in warning_codes(opt) for opt in run(ecog=2)["options"])


def test_S9_missing_weight_omits_weight_based_doses_only():
    result = run(patient__weight_kg=None)
    assert "patient.weight_kg" in result["missing_data"]
    tucatinib = option(result, "tucatinib-trastuzumab")
    assert [d["drug"] for d in tucatinib["doses"]] == ["tucatinib"], "fixed oral dose stays, trastuzumab omitted"
    assert tucatinib["tier"] == "preferred", "still tiered without a weight"
    assert [d["drug"] for d in option(result, "pertuzumab-trastuzumab")["doses"]] == ["pertuzumab", "pertuzumab"]


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("patient__weight_kg", 19.9, "patient.weight_kg must be a number between 20 and 350"),
        ("patient__weight_kg", 351, "patient.weight_kg must be a number between 20 and 350"),
        ("patient__height_cm", 99, "patient.height_cm must be a number between 100 and 250"),
        ("lvef_percent", 4, "lvef_percent must be a number between 5 and 90"),
        ("lvef_percent", 91, "lvef_percent must be a number between 5 and 90"),
        ("her2", {"ihc": "3+", "ihc_percent_cells": 101}, "her2.ihc_percent_cells must be a number between 0 and 100"),
        ("her2", {"ish_ratio": 50.1}, "her2.ish_ratio must be a number between 0 and 50"),
    ],
)
def test_S9_input_ranges(field, value, message):
    with pytest.raises(regimens.InvalidInput) as raised:
        regimens.recommend(make_case(**{field: value}))
    assert str(raised.value) == message
    assert raised.value.field == message.split(" ")[0]


def test_S9_range_edges_are_accepted():
    for changes in ({"patient__weight_kg": 20}, {"patient__weight_kg": 350}, {"lvef_percent": 5}, {"lvef_percent": 90}):
        assert run(**changes)["her2_status"] == "positive"


def test_safety_strongest_modifier_wins():
    result = run(lvef_percent=40, ild_history=True, prior_therapies=["trastuzumab"])
    tdxd = option(result, "trastuzumab-deruxtecan")
    assert tdxd["tier"] == "contraindicated"
    assert {"lvef_low", "ild_history"} <= set(warning_codes(tdxd))


def test_S1_pregnant_male_patient_is_invalid_input():
    with pytest.raises(regimens.InvalidInput) as raised:
        regimens.recommend(make_case(patient__sex="male", patient__pregnant=True))
    assert raised.value.field == "patient.pregnant"
    assert "patient.sex is male" in raised.value.message
    assert run(patient__sex="male", patient__pregnant=False)["her2_status"] == "positive"
    assert run(patient__sex="other", patient__pregnant=True)["her2_status"] == "positive"


@pytest.mark.parametrize("unknown", [{"patient__pregnant": None}, {"patient": {"weight_kg": 70, "sex": "female"}}])
def test_S10_unknown_pregnancy_in_a_female_patient_is_missing_data_with_a_blocking_warning(unknown):
    result = regimens.recommend(make_case(**unknown))
    known = run()
    assert "patient.pregnant" in result["missing_data"]
    for code in ANTI_HER2:
        opt = option(result, code)
        assert "pregnancy_unknown" in blocking(opt), code
        assert opt["tier"] == tiers(known)[code], "tiers are unchanged (S10)"
    assert "pregnancy_unknown" not in warning_codes(option(result, "clinical-trial"))
    assert result["recommendation"] == known["recommendation"]
    warning = [w for w in result["warnings"] if w["code"] == "pregnancy_unknown"][0]
    assert warning["ref"] == "S10" and "verify" in warning["text"] and "not pregnant" in warning["text"]


def test_S10_recording_not_pregnant_clears_it_and_other_sexes_are_not_asked():
    assert "pregnancy_unknown" not in warning_codes(run(patient__pregnant=False))
    for sex in ("male", "other", "unknown", None):
        result = run(patient__sex=sex, patient__pregnant=None)
        assert "patient.pregnant" not in result["missing_data"], sex
        assert "pregnancy_unknown" not in warning_codes(result), sex


def test_S10_no_options_no_pregnancy_question():
    result = run(patient__pregnant=None, her2={"ihc": "1+"})
    assert result["options"] == [] and "patient.pregnant" not in result["missing_data"]


def test_S4_severe_hepatic_impairment_lapatinib_not_recommended_and_its_dose_is_the_oncologists():
    lapatinib = option(run(hepatic_impairment="severe"), "lapatinib-trastuzumab")
    assert lapatinib["tier"] == "not_recommended"
    assert "hepatic_severe_lapatinib" in blocking(lapatinib)
    line = dose(lapatinib, "lapatinib", "continuous")
    assert line["clinician_sets_dose"] is True
    assert (line["dose_mg"], line["calculated_mg"], line["units"]) == (None, None, None), "no dose is proposed"
    assert "oncologist sets and justifies" in line["basis"]
    text = " ".join([w["text"] for w in lapatinib["warnings"]] + [lapatinib["rationale"]])
    assert "1000" not in text and "750" not in text and "1500" not in text, "no warning names an unvalidated dose"
    assert dose(lapatinib, "trastuzumab", "loading")["dose_mg"] == 280.0, "trastuzumab is unchanged"


@pytest.mark.parametrize("level", ["none", "mild", "moderate", None])
def test_S4_lapatinib_dose_proposed_outside_severe_hepatic_impairment(level):
    lapatinib = option(run(hepatic_impairment=level), "lapatinib-trastuzumab")
    line = dose(lapatinib, "lapatinib", "continuous")
    assert (line["dose_mg"], line["clinician_sets_dose"]) == (1000.0, False)
    assert "lapatinib_trial_dose" in warning_codes(lapatinib)


def test_S4_S5_together_one_tucatinib_line_at_100_mg_bid_and_one_combined_caution():
    tucatinib = option(run(hepatic_impairment="severe", strong_cyp2c8_inhibitor=True), "tucatinib-trastuzumab")
    lines = [d for d in tucatinib["doses"] if d["drug"] == "tucatinib"]
    assert [(d["dose_mg"], d["frequency"]) for d in lines] == [(100.0, "BID")]
    codes = warning_codes(tucatinib)
    assert "tucatinib_hepatic_and_cyp2c8" in codes
    assert "hepatic_severe_tucatinib" not in codes and "cyp2c8_inhibitor" not in codes
    caution = [w for w in tucatinib["warnings"] if w["code"] == "tucatinib_hepatic_and_cyp2c8"][0]
    assert "not been studied" in caution["text"] and "inhibitor should be avoided" in caution["text"]


@pytest.mark.parametrize("hepatic", ["none", "mild", "moderate", "severe", None])
@pytest.mark.parametrize("inhibitor", [True, False, None])
def test_S4_S5_every_tucatinib_dose_a_warning_names_is_the_dose_on_the_line(hepatic, inhibitor):
    tucatinib = option(run(hepatic_impairment=hepatic, strong_cyp2c8_inhibitor=inhibitor), "tucatinib-trastuzumab")
    on_line = dose(tucatinib, "tucatinib", "continuous")["dose_mg"]
    named = {float(mg) for w in tucatinib["warnings"] for mg in re.findall(r"(\d+) mg", w["text"])}
    assert named <= {on_line}, f"warnings name {named}, the dose line says {on_line}"
    keys = [(d["drug"], d["phase"]) for d in tucatinib["doses"]]
    assert len(keys) == len(set(keys)), "one dose line per drug and phase"


def test_D7_benzyl_alcohol_hypersensitivity_makes_the_multi_dose_vial_single_use():
    result = run(patient__benzyl_alcohol_hypersensitivity=True)
    tucatinib = option(result, "tucatinib-trastuzumab")
    loading = dose(tucatinib, "trastuzumab", "loading")
    assert loading["units"] == (
        "vials: 1 x 420 mg + 1 x 150 mg (waste 10 mg; the 420 mg vial is single-use for benzyl alcohol "
        "hypersensitivity)"
    )
    note = [w for w in tucatinib["warnings"] if w["code"] == "benzyl_alcohol_hypersensitivity"][0]
    assert note["ref"] == "D7" and "sterile water" in note["text"]
    assert "benzyl_alcohol_hypersensitivity" not in warning_codes(option(result, "trastuzumab-deruxtecan"))
    assert "benzyl_alcohol_hypersensitivity" not in warning_codes(run())
