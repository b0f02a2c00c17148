"""One clinical vocabulary (regimens/vocabulary.py): complete for every catalogue code, one tier order, one
definition of the best option, and the override-reason rule ("Override reasons")."""

import pytest

import regimens
from regimens import catalogue as cat
from regimens import vocabulary as vocab
from tests.regimens.helpers import REFRACTORY, run


def _input_paths(schema: dict) -> set[str]:
    paths = set()
    for name, spec in schema["properties"].items():
        ref = next((item.get("$ref") for item in spec.get("anyOf", [spec]) if "$ref" in item), spec.get("$ref"))
        if ref:
            definition = schema["$defs"][ref.rsplit("/", 1)[-1]]
            paths |= {f"{name}.{field}" for field in definition["properties"]}
        paths.add(name)
    return paths


def test_every_code_the_engine_can_output_has_a_label():
    assert set(vocab.TIER_LABELS) == set(cat.TIERS)
    assert set(vocab.SEVERITY_LABELS) == {fact.severity for fact in cat.WARNINGS.values()}
    assert set(vocab.DRUG_NAMES) == {fact.drug for doses in cat.REGIMEN_DOSES.values() for fact in doses}
    assert set(vocab.REGIMEN_NAMES) == set(cat.REGIMEN_CODES)
    assert set(vocab.AGENT_LABELS) == set(cat.PRIOR_THERAPY_AGENTS)
    assert set(vocab.ISH_LABELS) == set(cat.ISH_RESULTS)
    frequencies = {fact.frequency for doses in cat.REGIMEN_DOSES.values() for fact in doses}
    assert frequencies <= set(vocab.FREQUENCY_LABELS)
    assert {fact.phase for doses in cat.REGIMEN_DOSES.values() for fact in doses} <= set(vocab.PHASE_LABELS)
    assert _input_paths(regimens.input_schema()) <= set(vocab.FIELD_LABELS), "every missing_data path has a label"
    for labels in (vocab.TIER_LABELS, vocab.FIELD_LABELS, vocab.AGENT_LABELS, vocab.FREQUENCY_LABELS):
        assert not any("_" in label for label in labels.values())


def test_one_tier_order_consider_and_subsequent_line_rank_equal():
    result = run(prior_therapies=["fluoropyrimidine"])  # R4: every anti-HER2 regimen subsequent line, trial consider
    order = [option["regimen"] for option in result["options"]]
    assert order == ["tucatinib-trastuzumab", "pertuzumab-trastuzumab", "lapatinib-trastuzumab",
                     "trastuzumab-deruxtecan", "clinical-trial", "pertuzumab-trastuzumab-emtansine"]
    assert vocab.ordered_options(list(reversed(result["options"])))[:5] == result["options"][:5]


@pytest.mark.parametrize(
    "changes, best, tier",
    [
        ({}, "tucatinib-trastuzumab", "preferred"),
        ({"prior_therapies": ["fluoropyrimidine"]}, "tucatinib-trastuzumab", "subsequent_line"),
        ({"ras": "mutant"}, "trastuzumab-deruxtecan", "consider"),
        ({"lvef_percent": 40}, "clinical-trial", "consider"),
        ({"prior_therapies": REFRACTORY + ["trastuzumab_deruxtecan"]}, "clinical-trial", "preferred"),
    ],
)
def test_best_option_is_the_preferred_else_the_first_proposable_regimen_else_the_trial(changes, best, tier):
    result = run(**changes)
    chosen = vocab.best_option(result["options"])
    assert (chosen["regimen"], chosen["tier"]) == (best, tier)
    assert result["best_option"] == best, "the engine names the same best option"


def test_override_reason_needed_for_every_option_that_is_not_preferred():
    result = run()
    reasons = {option["regimen"]: vocab.override_reasons(option, result["options"]) for option in result["options"]}
    assert reasons["tucatinib-trastuzumab"] == []
    assert reasons["pertuzumab-trastuzumab"] == ["it is not the preferred option (it is alternative)"]
    for regimen in ("trastuzumab-deruxtecan", "clinical-trial", "pertuzumab-trastuzumab-emtansine"):
        assert reasons[regimen], regimen


@pytest.mark.parametrize("changes", [{"prior_therapies": []}, {"ras": "unknown"},
                                     {"prior_therapies": [], "fit_for_intensive_therapy": False}])
def test_override_reason_needed_for_every_choice_when_nothing_is_preferred(changes):
    """The audit: a fit, treatment-naive patient could be planned on any regimen with no reason."""
    result = run(**changes)
    for option in result["options"]:
        reasons = vocab.override_reasons(option, result["options"])
        assert reasons and reasons[0].startswith("no option is preferred for this case"), option["regimen"]


def test_override_reason_needed_for_a_preferred_option_with_a_blocking_warning():
    result = run(patient__pregnant=None)
    tucatinib = next(option for option in result["options"] if option["regimen"] == "tucatinib-trastuzumab")
    assert tucatinib["tier"] == "preferred"
    (reason,) = vocab.override_reasons(tucatinib, result["options"])
    assert reason.startswith("it carries a blocking warning: Pregnancy status is not recorded")


def test_labels_of_unknown_or_empty_codes():
    assert vocab.tier_label(None) == "" and vocab.tier_label("") == ""
    assert vocab.regimen_title("tucatinib-trastuzumab") == "Tucatinib (TUKYSA) + trastuzumab"
    assert vocab.drug_title("trastuzumab_deruxtecan") == "Fam-trastuzumab deruxtecan-nxki (ENHERTU)"
    assert vocab.frequency_label("q21d") == "every 21 days" and vocab.frequency_label("BID") == "twice daily"
