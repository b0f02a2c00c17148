"""The demo cases in fixtures/cases/ give the clinical answers they are named after."""

import pytest

import regimens
from tests.regimens.helpers import FIXTURES, dose, load_fixture, option, tiers

EXPECTED = {
    # name: (her2_status, recommendation, {regimen: tier} that must hold)
    "refractory_ras_wt_ihc3": ("positive", "anti_her2", {"tucatinib-trastuzumab": "preferred"}),
    "equivocal_ihc2_no_ish": ("equivocal", "complete_her2_testing", {}),
    "ihc2_ish_amplified_refractory": ("positive", "anti_her2", {"tucatinib-trastuzumab": "preferred"}),
    "her2_negative_ihc1": ("negative", "not_indicated", {}),
    "her2_untested": ("untested", "complete_her2_testing", {}),
    "ras_mutant_refractory": ("positive", "anti_her2", {"trastuzumab-deruxtecan": "consider",
                                                         "tucatinib-trastuzumab": "not_recommended"}),
    "ras_unknown_refractory": ("positive", "anti_her2", {"tucatinib-trastuzumab": "consider"}),
    "prior_trastuzumab_pertuzumab": ("positive", "anti_her2", {"trastuzumab-deruxtecan": "preferred",
                                                                "pertuzumab-trastuzumab": "not_recommended"}),
    "prior_trastuzumab_deruxtecan": ("positive", "anti_her2", {"clinical-trial": "preferred",
                                                                "trastuzumab-deruxtecan": "not_recommended"}),
    "pregnant_refractory": ("positive", "anti_her2", {"tucatinib-trastuzumab": "contraindicated"}),
    "lvef_45_refractory": ("positive", "anti_her2", {"pertuzumab-trastuzumab": "contraindicated"}),
    "not_fit_first_line_ras_wt": ("positive", "anti_her2", {"lapatinib-trastuzumab": "consider"}),
    "fit_first_line_ras_wt": ("positive", "standard_therapy_first", {"tucatinib-trastuzumab": "subsequent_line"}),
    "missing_weight_refractory": ("positive", "anti_her2", {"tucatinib-trastuzumab": "preferred"}),
    "msi_high_refractory": ("positive", "anti_her2", {"tucatinib-trastuzumab": "preferred"}),
    "ild_history_prior_trastuzumab": ("positive", "anti_her2", {"trastuzumab-deruxtecan": "not_recommended"}),
    "ihc1_ngs_amplified_discordant": ("positive", "anti_her2", {"tucatinib-trastuzumab": "preferred"}),
    "braf_v600e_refractory": ("positive", "anti_her2", {"tucatinib-trastuzumab": "preferred"}),
    # One demo case per rule changed in ruleset 2026.2:
    "ihc3_under_50_percent_ish_not_amplified": ("negative", "not_indicated", {}),  # H1
    "ihc3_ish_not_amplified_pathology_review": ("positive", "anti_her2", {"tucatinib-trastuzumab": "preferred"}),  # H1
    "ngs_copy_number_without_call": ("untested", "complete_her2_testing", {}),  # H4
    "ras_unknown_prior_anti_her2": ("positive", "anti_her2", {"trastuzumab-deruxtecan": "preferred",  # R3
                                                              "tucatinib-trastuzumab": "consider"}),
    "prior_anti_her2_ihc1_ish_amplified": ("positive", "anti_her2", {"trastuzumab-deruxtecan": "consider"}),  # R7
    "pregnancy_status_unknown_female": ("positive", "anti_her2", {"tucatinib-trastuzumab": "preferred"}),  # S10
    "severe_hepatic_refractory": ("positive", "anti_her2", {"lapatinib-trastuzumab": "not_recommended"}),  # S4
    "severe_hepatic_cyp2c8_refractory": ("positive", "anti_her2", {"tucatinib-trastuzumab": "preferred",  # S4, S5
                                                                   "lapatinib-trastuzumab": "not_recommended"}),
    "benzyl_alcohol_hypersensitivity_refractory": ("positive", "anti_her2", {"tucatinib-trastuzumab": "preferred"}),
}
# What each 2026.2 demo case shows beyond its tiers: (missing data, warning codes) that must be there.
CHANGED_RULE_SHOWS = {
    "ihc3_ish_not_amplified_pathology_review": ([], ["her2_ihc_ish_disagree"]),
    "ngs_copy_number_without_call": (["her2.ngs_erbb2_amplified"], ["ngs_copy_number_without_call"]),
    "ras_unknown_prior_anti_her2": (["ras"], ["ras_unknown"]),
    "prior_anti_her2_ihc1_ish_amplified": ([], ["tdxd_her2_expression"]),
    "pregnancy_status_unknown_female": (["patient.pregnant"], ["pregnancy_unknown"]),
    "severe_hepatic_refractory": ([], ["hepatic_severe_lapatinib", "hepatic_severe_tucatinib"]),
    "severe_hepatic_cyp2c8_refractory": ([], ["tucatinib_hepatic_and_cyp2c8", "hepatic_severe_lapatinib"]),
    "benzyl_alcohol_hypersensitivity_refractory": ([], ["benzyl_alcohol_hypersensitivity"]),
}


def test_every_fixture_has_an_expectation():
    assert {path.stem for path in FIXTURES.glob("*.json")} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_case(name):
    status, recommendation, expected_tiers = EXPECTED[name]
    result = regimens.recommend(load_fixture(name))
    assert (result["her2_status"], result["recommendation"]) == (status, recommendation)
    for regimen, tier in expected_tiers.items():
        assert tiers(result)[regimen] == tier, f"{name}: {regimen}"


def test_refractory_ras_wt_ihc3_70_kg_trastuzumab_560_then_420():
    tucatinib = option(regimens.recommend(load_fixture("refractory_ras_wt_ihc3")), "tucatinib-trastuzumab")
    assert dose(tucatinib, "trastuzumab", "loading")["dose_mg"] == 560.0
    assert dose(tucatinib, "trastuzumab", "maintenance")["dose_mg"] == 420.0


@pytest.mark.parametrize("name", sorted(CHANGED_RULE_SHOWS))
def test_each_2026_2_demo_case_shows_its_change(name):
    missing, warnings = CHANGED_RULE_SHOWS[name]
    result = regimens.recommend(load_fixture(name))
    assert set(missing) <= set(result["missing_data"])
    assert set(warnings) <= {w["code"] for w in result["warnings"]}


def test_R7_demo_case_has_no_preferred_option():
    result = regimens.recommend(load_fixture("prior_anti_her2_ihc1_ish_amplified"))
    assert not any(o["tier"] == "preferred" for o in result["options"])


def test_S4_S5_demo_case_one_tucatinib_line_at_100_mg_and_no_lapatinib_dose():
    result = regimens.recommend(load_fixture("severe_hepatic_cyp2c8_refractory"))
    assert dose(option(result, "tucatinib-trastuzumab"), "tucatinib", "continuous")["dose_mg"] == 100.0
    assert dose(option(result, "lapatinib-trastuzumab"), "lapatinib", "continuous")["clinician_sets_dose"] is True
