"""Monitoring M1-M6 and evidence E1-E6, printed exactly as the reference writes them."""

import pytest

from tests.regimens.helpers import option, run

RESULT = run()


def monitoring(code: str) -> str:
    return " ".join(option(RESULT, code)["monitoring"])


def evidence(code: str) -> str:
    return " | ".join(f"{e['trial']}: {e['result']}" for e in option(RESULT, code)["evidence"])


def test_M1_lvef_every_12_weeks_for_trastuzumab_regimens():
    for code in ("tucatinib-trastuzumab", "pertuzumab-trastuzumab", "lapatinib-trastuzumab"):
        text = monitoring(code)
        assert "every 12 weeks" in text and ">= 16 percentage points" in text and "more than 3 holds" in text


def test_M2_tucatinib_liver_tests_and_mountaineer_safety_figures():
    text = monitoring("tucatinib-trastuzumab")
    assert "liver tests (ALT, AST, bilirubin) before starting, every 3 weeks" in text
    assert "diarrhoea 64%, fatigue 44%, nausea 35%, infusion reactions 21%" in text
    assert "grade >= 3 adverse events 40.7%" in text and "hypertension (7%)" in text
    assert "33%" not in text, "the source article's figures are not the ones to print"
    assert "M2" in option(RESULT, "tucatinib-trastuzumab")["monitoring_refs"]


def test_M3_trastuzumab_deruxtecan_ild_monitoring():
    text = monitoring("trastuzumab-deruxtecan")
    assert "grade >= 2: permanently discontinue and start corticosteroids" in text
    assert "Blood counts before each dose" in text


def test_M4_lapatinib_liver_and_diarrhoea():
    text = monitoring("lapatinib-trastuzumab")
    assert "boxed warning: hepatotoxicity" in text and "loperamide" in text and "22%" in text


def test_M5_infusion_reactions_for_trastuzumab_and_pertuzumab():
    assert "first infusion over 90 minutes" in monitoring("pertuzumab-trastuzumab")
    assert "first infusion over 90 minutes" not in monitoring("trastuzumab-deruxtecan")


def test_M6_embryo_fetal_toxicity_on_every_anti_her2_regimen():
    anti_her2 = [opt for opt in RESULT["options"] if opt["regimen"] != "clinical-trial"]
    assert len(anti_her2) >= 3, "the R6 patient is offered several anti-HER2 regimens"
    assert [opt["regimen"] for opt in anti_her2 if "M6" not in opt["monitoring_refs"]] == []


@pytest.mark.parametrize(
    "code, figures",
    [
        ("tucatinib-trastuzumab", ["ORR 38% (95% CI 28-49)", "12.4 months", "81% of responders >= 6 months",
                                   "34% >= 12 months", "median PFS 8.2 months", "median OS 24.1 months",
                                   "ORR 39.3%, median DOR 15.2 months"]),
        ("pertuzumab-trastuzumab", ["ORR 32% (95% CI 20-45)", "disease control 50-54%",
                                    "ORR 40% in KRAS wild-type vs 8% in KRAS-mutant", "TRIUMPH: ORR 30%"]),
        ("lapatinib-trastuzumab", ["ORR 30% (95% CI 14-50)", "grade 3 adverse events 22%"]),
        ("trastuzumab-deruxtecan", ["ORR 45.3%", "ORR 37.8% at 5.4 mg/kg (27.5% at 6.4 mg/kg)",
                                    "no responses in IHC 2+/ISH-negative or IHC 1+", "ILD 9.3%"]),
        ("pertuzumab-trastuzumab-emtansine", ["ORR 9.7% (primary endpoint not met)", "stable disease 67.7%",
                                              "disease control 77.4%"]),
    ],
    ids=["E1", "E2", "E3", "E4", "E5"],
)
def test_E1_to_E5_trial_figures_exactly_as_written(code, figures):
    text = evidence(code)
    for figure in figures:
        assert figure in text, f"{code} evidence should say {figure!r}"


def test_E6_guideline_grading_on_signal_transduction_regimens():
    for code in ("tucatinib-trastuzumab", "pertuzumab-trastuzumab", "lapatinib-trastuzumab"):
        text = evidence(code)
        assert "ESMO level III, C; ESCAT II-B" in text and "RAS and BRAF wild-type" in text
    assert "subsequent therapy" in evidence("trastuzumab-deruxtecan")


def test_evidence_items_cite_a_source_and_reference_item():
    items = [item for opt in RESULT["options"] for item in opt["evidence"]]
    assert {item["ref"] for item in items} == {"E1", "E2", "E3", "E4", "E5", "E6"}, "every evidence item is cited"
    assert all(item["source"] for item in items)
