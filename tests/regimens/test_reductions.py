"""Dose reductions by the label steps only (D2, D5, D3) and D2's diarrhoea rules as choices."""

import pytest

from regimens.reductions import (
    check_reduction,
    diarrhoea_choice,
    diarrhoea_choices,
    drugs_stopped_with,
    next_dose_level,
)


@pytest.mark.parametrize("current, action, lower", [
    (300, "reduce", 250), (250, "reduce", 200), (200, "reduce", 150), (150, "discontinue", None),
])
def test_D2_tucatinib_steps_300_250_200_150_then_discontinue(current, action, lower):
    step = next_dose_level("tucatinib", current)
    assert (step.action, step.next_level, step.unit, step.ref, step.note) == (action, lower, "mg", "D2", None)
    assert "tucatinib (tukysa)" in step.text.lower(), "the D10 name with its brand"


def test_D2_reduction_text_reads_as_a_clinician_would_say_it():
    assert next_dose_level("tucatinib", 300).text == (
        "Reduce tucatinib (TUKYSA) from 300 mg to 250 mg twice daily (D2 label step).")
    assert next_dose_level("tucatinib", 150).text == (
        "Tucatinib (TUKYSA) 150 mg twice daily is the lowest label step: unable to tolerate it, discontinue (D2).")


def test_D2_adjusted_start_of_200_mg_uses_the_label_step_below_with_a_note():
    step = next_dose_level("tucatinib", 200, starting=200)
    assert (step.action, step.next_level) == ("reduce", 150)
    assert "does not say how to reduce from an adjusted start" in step.note


def test_D2_the_cyp2c8_dose_of_100_mg_has_no_label_step_below_it():
    step = next_dose_level("tucatinib", 100, starting=100)
    assert (step.action, step.next_level) == ("no_label_step", None)
    assert "the oncologist decides" in step.text


@pytest.mark.parametrize("current, action, lower", [(5.4, "reduce", 4.4), (4.4, "reduce", 3.2), (3.2, "discontinue", None)])
def test_D5_trastuzumab_deruxtecan_steps_then_discontinue(current, action, lower):
    step = next_dose_level("trastuzumab_deruxtecan", current)
    assert (step.action, step.next_level, step.unit, step.ref) == (action, lower, "mg/kg", "D5")


def test_D5_the_destiny_crc01_dose_is_not_a_label_step():
    assert next_dose_level("trastuzumab_deruxtecan", 6.4).action == "no_label_step"


def test_D5_never_re_escalate():
    with pytest.raises(ValueError, match="never re-escalated"):
        check_reduction("trastuzumab_deruxtecan", [5.4, 4.4], 5.4)
    with pytest.raises(ValueError, match="never re-escalated"):
        check_reduction("trastuzumab_deruxtecan", [5.4, 3.2, 4.4], 3.2 + 1.2)
    check_reduction("trastuzumab_deruxtecan", [5.4, 4.4], 3.2)


def test_D2_only_the_next_label_step_is_accepted():
    check_reduction("tucatinib", [300], 250)
    with pytest.raises(ValueError, match="next label step is 250"):
        check_reduction("tucatinib", [300], 200)
    with pytest.raises(ValueError, match="next label step is 250"):
        check_reduction("tucatinib", [300], 275)
    with pytest.raises(ValueError, match="lowest label step"):
        check_reduction("tucatinib", [300, 250, 200, 150], 100)
    with pytest.raises(ValueError, match="dose the patient is on"):
        check_reduction("tucatinib", [], 250)


def test_D3_pertuzumab_has_no_dose_reductions_and_stops_with_trastuzumab():
    step = next_dose_level("pertuzumab", 420)
    assert (step.action, step.next_level, step.ref) == ("no_reductions", None, "D3")
    assert "stop it if trastuzumab is stopped" in step.text
    with pytest.raises(ValueError):
        check_reduction("pertuzumab", [420], 210)
    assert drugs_stopped_with("trastuzumab", ["pertuzumab", "trastuzumab"]) == ("pertuzumab",)
    assert drugs_stopped_with("trastuzumab", ["tucatinib", "trastuzumab"]) == ()


@pytest.mark.parametrize("drug, ref", [("trastuzumab", "D1, D3, D4"), ("lapatinib", "D4"),
                                       ("trastuzumab_emtansine", "D6")])
def test_drugs_without_reductions_in_the_reference_are_the_oncologists_decision(drug, ref):
    step = next_dose_level(drug, 100)
    assert (step.action, step.next_level, step.ref) == ("no_label_step", None, ref)


def test_D2_diarrhoea_rules_offered_as_three_choices_at_300_mg():
    choices = {choice.code: choice for choice in diarrhoea_choices(300)}
    assert list(choices) == ["grade3_without_antidiarrhoeals", "grade3_despite_antidiarrhoeals", "grade4"]
    same = choices["grade3_without_antidiarrhoeals"]
    assert (same.action, same.resume_mg, same.discontinue) == ("hold_resume_same", 300, False)
    assert "until diarrhoea is grade 1 or less" in same.text
    lower = choices["grade3_despite_antidiarrhoeals"]
    assert (lower.action, lower.resume_mg, lower.discontinue) == ("hold_resume_lower", 250, False)
    stop = choices["grade4"]
    assert (stop.action, stop.resume_mg, stop.discontinue) == ("discontinue", None, True)
    assert all(choice.ref == "D2" for choice in choices.values())


def test_D2_grade_3_despite_antidiarrhoeals_at_150_mg_discontinues():
    choice = diarrhoea_choice("grade3_despite_antidiarrhoeals", 150)
    assert (choice.resume_mg, choice.discontinue) == (None, True)
    assert "discontinue" in choice.text


def test_D2_grade_3_despite_antidiarrhoeals_at_100_mg_is_the_oncologists_dose():
    choice = diarrhoea_choice("grade3_despite_antidiarrhoeals", 100, starting_mg=100)
    assert (choice.resume_mg, choice.discontinue) == (None, False)
    assert "the oncologist sets the dose" in choice.text


def test_D2_unknown_diarrhoea_rule_is_refused():
    with pytest.raises(ValueError):
        diarrhoea_choice("grade2", 300)
