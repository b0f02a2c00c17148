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
    "severe_hepatic_cyp2c8_refractory": ("positive", "anti_her2", {"tucatinib-trastuzumab": "preferred"}),
    "braf_v600e_refractory": ("positive", "anti_her2", {"tucatinib-trastuzumab": "preferred"}),
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
