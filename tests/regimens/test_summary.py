"""The one-sentence summary names the best option (by its D10 name) and the strongest caution or blocking
warning on it; when no option is preferred it says so and why. It never shows an engine code."""

import re

import pytest

import regimens
from regimens import catalogue as cat
from tests.regimens.helpers import FIXTURES, REFRACTORY, load_fixture, run

PRIOR_ANTI_HER2 = REFRACTORY + ["trastuzumab", "pertuzumab"]
CODES = re.compile(r"\b(anti_her2|subsequent_line|not_recommended|standard_therapy_first|trastuzumab_deruxtecan|"
                   r"lvef_percent|None)\b|patient\.[a-z_]|" + "|".join(re.escape(code) for code in cat.REGIMEN_CODES))


def test_summary_names_the_preferred_option_by_its_display_name():
    summary = run()["summary"]
    assert "tucatinib (TUKYSA) + trastuzumab is preferred" in summary
    assert "No option is preferred" not in summary


def test_summary_names_the_strongest_caution_on_the_top_option_braf_v600e():
    """The audit: a BRAF V600E case read "RAS wild-type ... tucatinib + trastuzumab is preferred" and BRAF was
    only further down."""
    summary = run(braf_v600e="mutant")["summary"]
    assert "tucatinib (TUKYSA) + trastuzumab is preferred" in summary
    assert "Caution: BRAF V600E mutant" in summary


def test_summary_names_a_blocking_warning_before_a_caution():
    summary = run(patient__pregnant=None, braf_v600e="mutant")["summary"]
    assert "Blocking: Pregnancy status is not recorded" in summary
    assert "BRAF V600E mutant" not in summary, "one warning: the strongest"


@pytest.mark.parametrize(
    "changes, why",
    [
        ({"ras": "unknown"}, "No option is preferred: RAS status is unknown."),
        ({"prior_therapies": [], "fit_for_intensive_therapy": False}, "No option is preferred: first-line anti-HER2"),
        ({"her2": {"ihc": "1+", "ish": "amplified"}, "prior_therapies": PRIOR_ANTI_HER2},
         "No option is preferred: fam-trastuzumab deruxtecan-nxki (ENHERTU) is preferred only with IHC 3+ or IHC 2+ "
         "with ISH amplification."),
        ({"her2": {"ish": "amplified"}, "prior_therapies": PRIOR_ANTI_HER2},
         "No option is preferred: HER2 IHC was not done"),
        ({"ras": "mutant"}, "No option is preferred: the signal-transduction regimens have limited activity"),
        ({"prior_therapies": ["fluoropyrimidine"]}, "comes first, so no anti-HER2 option is preferred"),
        ({"ild_history": True, "prior_therapies": PRIOR_ANTI_HER2},
         "Fam-trastuzumab deruxtecan-nxki (ENHERTU) would be preferred by the rules but is not recommended here."),
    ],
)
def test_summary_without_a_preferred_option_says_so_and_why(changes, why):
    result = run(**changes)
    assert not any(option["tier"] == "preferred" for option in result["options"])
    assert why in result["summary"]


def test_summary_standard_therapy_first_names_the_same_best_option_the_result_does():
    result = run(prior_therapies=["fluoropyrimidine", "oxaliplatin"])
    assert result["best_option"] == "tucatinib-trastuzumab"
    assert "tucatinib (TUKYSA) + trastuzumab is for a subsequent line" in result["summary"]


def test_summary_when_every_regimen_is_contraindicated_names_the_reason():
    summary = run(lvef_percent=40)["summary"]
    assert "no anti-HER2 regimen can be given as things stand; a clinical trial can be considered" in summary
    assert "Blocking: LVEF below 50%" in summary


@pytest.mark.parametrize("name", sorted(path.stem for path in FIXTURES.glob("*.json")))
def test_summary_of_every_demo_case_shows_no_engine_code(name):
    result = regimens.recommend(load_fixture(name))
    assert not CODES.search(result["summary"]), result["summary"]
    best = result["best_option"]
    if best:
        assert cat.REGIMEN_NAMES[best] in result["summary"] or best == "clinical-trial"
