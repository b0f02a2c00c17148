"""Decision rules R1-R12 and their precedence."""

import pytest

import regimens
from regimens import catalogue as cat
from regimens.rules import already_received, prior_anti_her2, refractory_to_chemotherapy
from tests.regimens.helpers import REFRACTORY, make_case, option, run, tiers, warning_codes

ST = cat.SIGNAL_TRANSDUCTION_REGIMENS
FIRST_LINE = ["fluoropyrimidine", "oxaliplatin", "bevacizumab"]


def test_definition_refractory_needs_all_three_chemotherapies():
    assert refractory_to_chemotherapy(frozenset(REFRACTORY))
    assert not refractory_to_chemotherapy(frozenset(["fluoropyrimidine", "oxaliplatin"]))


def test_definition_prior_anti_her2_and_already_received():
    prior = frozenset(["trastuzumab", "pertuzumab", "bevacizumab"])
    assert prior_anti_her2(prior) == {"trastuzumab", "pertuzumab"}
    assert already_received("pertuzumab-trastuzumab", prior)
    assert not already_received("tucatinib-trastuzumab", prior), "a regimen needs ALL its drugs to count"
    assert not already_received("clinical-trial", prior)


def test_every_her2_positive_result_lists_every_regimen_once():
    result = run()
    assert sorted(tiers(result)) == sorted(cat.REGIMEN_CODES)
    for opt in result["options"]:
        assert opt["tier"] in cat.TIERS and opt["rationale"] and opt["cycle_days"] in (21, None)
        assert isinstance(opt["monitoring"], list) and isinstance(opt["evidence"], list)


@pytest.mark.parametrize("her2, missing", [({}, "her2"), ({"ihc": "2+"}, "her2.ish")])
def test_R1_untested_or_equivocal_completes_testing(her2, missing):
    result = run(her2=her2)
    assert result["recommendation"] == "complete_her2_testing"
    assert missing in result["missing_data"]
    assert not any(o["tier"] == "preferred" for o in result["options"])


def test_R2_her2_negative_is_not_indicated():
    result = run(her2={"ihc": "1+"})
    assert result["recommendation"] == "not_indicated"
    assert "not indicated" in result["summary"] and "clinical trials" in result["summary"]


def test_R3_ras_unknown_no_signal_transduction_regimen_above_consider():
    result = run(ras="unknown")
    assert "ras" in result["missing_data"]
    assert "ras_unknown" in warning_codes(result)
    assert result["rule"] == "R3"
    assert tiers(result)["tucatinib-trastuzumab"] == "consider", "tiered as if RAS wild-type, capped at consider"
    assert not any(o["tier"] in ("preferred", "alternative") for o in result["options"])


def test_R3_cap_is_for_signal_transduction_regimens_only_trial_keeps_R9_preferred():
    result = run(ras=None, prior_therapies=REFRACTORY + ["trastuzumab_deruxtecan"])
    assert tiers(result)["clinical-trial"] == "preferred", "R9 makes the trial preferred; R3 does not cap it"
    assert tiers(result)["tucatinib-trastuzumab"] == "consider"


def test_R3_trastuzumab_deruxtecan_keeps_R7_preferred_when_ras_is_unknown():
    result = run(ras="unknown", prior_therapies=REFRACTORY + ["trastuzumab", "pertuzumab"])
    assert tiers(result)["trastuzumab-deruxtecan"] == "preferred", "DESTINY-CRC02 enrolled RAS wild-type and mutant"
    assert tiers(result)["tucatinib-trastuzumab"] == "consider"
    assert "ras" in result["missing_data"]


def test_R3_trastuzumab_deruxtecan_keeps_R6_subsequent_line_when_ras_is_unknown():
    result = run(ras="unknown")
    assert tiers(result)["trastuzumab-deruxtecan"] == "subsequent_line"
    assert {tiers(result)[code] for code in ST} == {"consider"}


def test_R4_fit_not_refractory_gets_standard_therapy_first():
    result = run(prior_therapies=FIRST_LINE)
    assert result["recommendation"] == "standard_therapy_first"
    for code in ST + ("trastuzumab-deruxtecan",):
        assert tiers(result)[code] == "subsequent_line"
    assert "anti_egfr_resistance" in warning_codes(result)
    assert "bevacizumab" in result["summary"]


def test_R4_fit_unknown_is_treated_as_fit_and_listed_missing():
    result = run(prior_therapies=[], fit_for_intensive_therapy=None)
    assert result["recommendation"] == "standard_therapy_first"
    assert "fit_for_intensive_therapy" in result["missing_data"]


def test_R5_not_fit_first_line_considers_signal_transduction_regimens():
    result = run(prior_therapies=[], fit_for_intensive_therapy=False)
    assert result["recommendation"] == "anti_her2"
    assert all(tiers(result)[code] == "consider" for code in ST)


def test_R6_refractory_ras_wild_type_prefers_tucatinib():
    result = run()
    assert result["recommendation"] == "anti_her2"
    assert tiers(result) == {
        "tucatinib-trastuzumab": "preferred",
        "pertuzumab-trastuzumab": "alternative",
        "lapatinib-trastuzumab": "alternative",
        "trastuzumab-deruxtecan": "subsequent_line",
        "pertuzumab-trastuzumab-emtansine": "not_recommended",
        "clinical-trial": "consider",
    }
    assert result["options"][0]["regimen"] == "tucatinib-trastuzumab"
    assert "ILD" in option(result, "trastuzumab-deruxtecan")["rationale"]


def test_R7_prior_anti_her2_prefers_trastuzumab_deruxtecan():
    result = run(prior_therapies=REFRACTORY + ["trastuzumab", "pertuzumab"])
    assert result["recommendation"] == "anti_her2"
    assert tiers(result)["trastuzumab-deruxtecan"] == "preferred"
    assert tiers(result)["pertuzumab-trastuzumab"] == "not_recommended", "progressed on it"
    assert tiers(result)["tucatinib-trastuzumab"] == "consider"
    assert tiers(result)["lapatinib-trastuzumab"] == "consider"


def test_R7_applies_without_refractory_chemotherapy():
    result = run(prior_therapies=["trastuzumab_emtansine"])
    assert result["rule"] == "R7" and tiers(result)["trastuzumab-deruxtecan"] == "preferred"


@pytest.mark.parametrize("prior, recommendation", [(REFRACTORY, "anti_her2"), (FIRST_LINE, "standard_therapy_first")])
def test_R8_ras_mutant(prior, recommendation):
    result = run(ras="mutant", prior_therapies=prior)
    assert result["recommendation"] == recommendation
    assert all(tiers(result)[code] == "not_recommended" for code in ST)
    assert tiers(result)["trastuzumab-deruxtecan"] == "consider"


def test_R9_prior_trastuzumab_deruxtecan_untried_option_remains():
    result = run(prior_therapies=REFRACTORY + ["trastuzumab", "tucatinib", "trastuzumab_deruxtecan"])
    assert result["recommendation"] == "anti_her2"
    assert tiers(result)["trastuzumab-deruxtecan"] == "not_recommended"
    assert tiers(result)["clinical-trial"] == "preferred"
    assert tiers(result)["tucatinib-trastuzumab"] == "not_recommended"
    assert tiers(result)["pertuzumab-trastuzumab"] == "consider"


def test_R9_nothing_untried_is_not_indicated():
    every_agent = ["trastuzumab", "tucatinib", "pertuzumab", "lapatinib", "trastuzumab_deruxtecan"]
    result = run(prior_therapies=REFRACTORY + every_agent)
    assert result["recommendation"] == "not_indicated"
    assert tiers(result)["clinical-trial"] == "preferred"
    assert "best supportive care" in result["summary"]


def test_R10_pertuzumab_trastuzumab_emtansine_always_not_recommended():
    for changes in ({}, {"prior_therapies": []}, {"ras": "mutant"}, {"prior_therapies": ["trastuzumab"]}):
        assert tiers(run(**changes))["pertuzumab-trastuzumab-emtansine"] == "not_recommended"


def test_R11_clinical_trial_in_every_her2_positive_result():
    for changes in ({}, {"prior_therapies": []}, {"ras": "mutant"}, {"lvef_percent": 30}):
        assert tiers(run(**changes))["clinical-trial"] == "consider"


def test_R12_anti_egfr_switch_warning_for_ras_wild_type():
    assert "anti_egfr_switch" in warning_codes(run(prior_therapies=REFRACTORY + ["anti_egfr"]))
    assert "anti_egfr_switch" not in warning_codes(run(prior_therapies=REFRACTORY + ["anti_egfr"], ras="mutant"))
    assert "anti_egfr_switch" not in warning_codes(run())


def test_precedence_R8_before_R9_before_R7_before_R6():
    assert run(ras="mutant", prior_therapies=REFRACTORY + ["trastuzumab"])["rule"] == "R8"
    assert run(prior_therapies=REFRACTORY + ["trastuzumab", "trastuzumab_deruxtecan"])["rule"] == "R9"
    assert run(prior_therapies=REFRACTORY + ["lapatinib"])["rule"] == "R7"
    assert run()["rule"] == "R6"
    assert run(prior_therapies=[])["rule"] == "R4"


def test_precedence_ras_mutant_after_trastuzumab_deruxtecan_keeps_it_not_recommended():
    result = run(ras="mutant", prior_therapies=REFRACTORY + ["trastuzumab_deruxtecan"])
    assert tiers(result)["trastuzumab-deruxtecan"] == "not_recommended"
    assert result["recommendation"] == "not_indicated"


def test_results_share_no_mutable_state_and_input_is_not_changed():
    case = make_case()
    first = regimens.recommend(case)
    for opt in first["options"]:
        opt["monitoring"].clear()
        opt["evidence"].clear()
        opt["warnings"].append({"code": "x"})
        for item in opt["doses"]:
            item["days"].clear()
    first["warnings"].clear()
    assert regimens.recommend(case) == run(), "a caller editing one result must not change the next"
    assert case == make_case()


PRIOR_ANTI_HER2 = REFRACTORY + ["trastuzumab", "pertuzumab"]


@pytest.mark.parametrize("her2", [{"ihc": "3+"}, {"ihc": "3+", "ihc_percent_cells": 30, "ish": "amplified"},
                                  {"ihc": "2+", "ish": "amplified"}, {"ihc": "2+", "ish_ratio": 2.6}])
def test_R7_trastuzumab_deruxtecan_preferred_with_ihc_3plus_or_ihc_2plus_ish_amplified(her2):
    result = run(her2=her2, prior_therapies=PRIOR_ANTI_HER2)
    assert tiers(result)["trastuzumab-deruxtecan"] == "preferred"
    assert not {"tdxd_her2_expression", "tdxd_ihc_unknown"} & set(warning_codes(option(result, "trastuzumab-deruxtecan")))


@pytest.mark.parametrize(
    "her2, missing",
    [
        ({"ihc": "1+", "ish": "amplified"}, None),
        ({"ihc": "0", "ngs_erbb2_amplified": True}, None),
        ({"ihc": "1+", "ngs_erbb2_amplified": True, "ngs_copy_number": 12}, None),
        ({"ihc": "2+", "ish": "not_amplified", "ngs_erbb2_amplified": True}, None),
        ({"ihc": "2+", "ngs_erbb2_amplified": True}, "her2.ish"),
    ],
)
def test_R7_trastuzumab_deruxtecan_at_most_consider_when_positivity_rests_on_ish_or_ngs(her2, missing):
    """DESTINY-CRC01 saw no responses at IHC 2+/ISH-negative or IHC 1+; the audit found it preferred at IHC 1+."""
    result = run(her2=her2, prior_therapies=PRIOR_ANTI_HER2)
    tdxd = option(result, "trastuzumab-deruxtecan")
    assert tdxd["tier"] == "consider"
    caution = [w for w in tdxd["warnings"] if w["code"] == "tdxd_her2_expression"]
    assert caution and caution[0]["severity"] == "caution" and "IHC 3+ or IHC 2+ with ISH amplification" in caution[0]["text"]
    assert not any(o["tier"] == "preferred" for o in result["options"]), "no other option becomes preferred instead"
    assert result["recommendation"] == "anti_her2"
    if missing:
        assert missing in result["missing_data"]


def test_R7_ihc_not_done_keeps_trastuzumab_deruxtecan_at_consider_and_asks_for_ihc():
    result = run(her2={"ish": "amplified"}, prior_therapies=PRIOR_ANTI_HER2)
    tdxd = option(result, "trastuzumab-deruxtecan")
    assert tdxd["tier"] == "consider" and "tdxd_ihc_unknown" in warning_codes(tdxd)
    assert "her2.ihc" in result["missing_data"]
    assert not any(o["tier"] == "preferred" for o in result["options"])


def test_R7_her2_expression_cap_does_not_touch_other_rules():
    result = run(her2={"ihc": "1+", "ish": "amplified"})  # R6: refractory, no prior anti-HER2
    assert tiers(result)["tucatinib-trastuzumab"] == "preferred"
    assert "tdxd_her2_expression" not in warning_codes(option(result, "trastuzumab-deruxtecan"))


def test_contract_prior_therapies_null_is_an_unknown_history_listed_as_missing():
    for result in (run(prior_therapies=None), regimens.recommend({k: v for k, v in make_case().items()
                                                                   if k != "prior_therapies"})):
        assert "prior_therapies" in result["missing_data"]
        assert result["recommendation"] == "standard_therapy_first", "an unknown history is not refractory"
        assert not any(o["tier"] == "preferred" for o in result["options"])
        assert "treatment history unknown" in result["summary"]
    assert "prior_therapies" not in run(prior_therapies=[])["missing_data"], "an empty list is a known history"
