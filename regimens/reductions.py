"""Dose reductions by the label steps only (D2 tucatinib, D5 trastuzumab deruxtecan, D3 pertuzumab none) and the
D2 diarrhoea rules, offered as choices. Every result carries its reference item and a sentence to read aloud.

The engine never makes up a level: a dose that is not on a label step, or a drug the reference gives no
reductions for, is returned as the oncologist's decision (action "no_label_step").
"""

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from regimens import catalogue as cat
from regimens.vocabulary import drug_name, drug_title

_FREQUENCY_WORDS = {"tucatinib": "twice daily", "trastuzumab_deruxtecan": "every 3 weeks"}


@dataclass(frozen=True)
class DoseStep:
    """The next dose level of a drug, or why there is none."""

    drug: str
    current: float
    unit: str  # mg | mg/kg
    action: str  # reduce | discontinue | no_reductions | no_label_step
    next_level: float | None  # action reduce only
    text: str
    ref: str
    note: str | None = None  # a reading of the reference the oncologist should know about


@dataclass(frozen=True)
class DiarrhoeaChoice:
    """One D2 diarrhoea rule applied to the current tucatinib dose."""

    code: str  # grade3_without_antidiarrhoeals | grade3_despite_antidiarrhoeals | grade4
    situation: str
    action: str  # hold_resume_same | hold_resume_lower | discontinue
    resume_mg: float | None  # None: tucatinib is discontinued, or the oncologist sets the dose (no label step)
    discontinue: bool
    text: str
    ref: str = "D2"
    note: str | None = None


def _same(a: float, b: float) -> bool:
    return round(a - b, cat.FLOAT_NOISE_DIGITS) == 0


def _amount(value: float, unit: str, drug: str) -> str:
    return f"{value:g} {unit} {_FREQUENCY_WORDS[drug]}"


def _level_index(levels: tuple[float, ...], value: float) -> int | None:
    return next((index for index, level in enumerate(levels) if _same(level, value)), None)


def _no_label_step(drug: str, current: float, unit: str, ref: str, why: str) -> DoseStep:
    return DoseStep(drug, current, unit, "no_label_step", None,
                    f"{drug_title(drug)} {current:g} {unit}: {why}; the oncologist decides.", ref)


def next_dose_level(drug: str, current: float, starting: float | None = None) -> DoseStep:
    """The label step below `current` (D2, D5), discontinue below the lowest step, none for pertuzumab (D3).

    `starting` is the plan's starting dose; when it is an adjusted start (tucatinib 200 mg in severe hepatic
    impairment), the next label step below it is returned with a note, because the reference does not say how to
    reduce from an adjusted start.
    """
    if drug in cat.NO_DOSE_REDUCTIONS:
        ref = cat.NO_DOSE_REDUCTIONS[drug]
        stops_with = cat.STOPS_WITH.get(drug)
        text = f"{drug_title(drug)} has no dose reductions ({ref})"
        text += f"; stop it if {drug_name(stops_with)} is stopped." if stops_with else "."
        return DoseStep(drug, current, "mg", "no_reductions", None, text, ref)
    if drug not in cat.DOSE_LADDERS:
        return _no_label_step(drug, current, "mg", _dose_refs(drug), "the reference gives no dose reductions for it")
    levels, unit, ref = cat.DOSE_LADDERS[drug]
    index = _level_index(levels, current)
    if index is None:
        return _no_label_step(drug, current, unit, ref, f"not a label step ({_ladder_words(levels, unit)}), so "
                              "the reference gives no reduction from it")
    note = _adjusted_start_note(drug, levels, unit, starting)
    if index == len(levels) - 1:
        text = (f"{drug_title(drug)} {_amount(current, unit, drug)} is the lowest label step: "
                f"unable to tolerate it, discontinue ({ref}).")
        return DoseStep(drug, current, unit, "discontinue", None, text, ref, note)
    lower = levels[index + 1]
    text = (f"Reduce {drug_name(drug)} from {current:g} {unit} to {_amount(lower, unit, drug)} ({ref} label step)"
            f"{'; never re-escalate' if drug in cat.NEVER_RE_ESCALATE else ''}.")
    return DoseStep(drug, current, unit, "reduce", lower, text, ref, note)


def _dose_refs(drug: str) -> str:
    refs = {fact.ref for facts in cat.REGIMEN_DOSES.values() for fact in facts if fact.drug == drug}
    return ", ".join(sorted(refs)) or "D"


def _ladder_words(levels: tuple[float, ...], unit: str) -> str:
    return " -> ".join(f"{level:g}" for level in levels) + f" {unit}"


def _adjusted_start_note(drug: str, levels: tuple[float, ...], unit: str, starting: float | None) -> str | None:
    if starting is None or _same(starting, levels[0]):
        return None
    return (f"The plan started at an adjusted dose ({starting:g} {unit}); the reference does not say how to reduce "
            f"from an adjusted start, so the label steps {_ladder_words(levels, unit)} are used. The oncologist "
            "confirms.")


def check_reduction(drug: str, levels_given: Sequence[float], proposed: float) -> None:
    """Raise ValueError, with a sentence a clinician can read, unless `proposed` is a label step below the current
    dose (the last of `levels_given`); trastuzumab deruxtecan never goes above any level already given (D5)."""
    if not levels_given:
        raise ValueError("a reduction needs the dose the patient is on")
    current = levels_given[-1]
    if drug in cat.NEVER_RE_ESCALATE and proposed > min(levels_given) and not _same(proposed, min(levels_given)):
        raise ValueError(f"{drug_title(drug)} is never re-escalated (D5): the patient has already "
                         f"been on {min(levels_given):g} mg/kg.")
    step = next_dose_level(drug, current)
    if step.action != "reduce" or not _same(proposed, step.next_level):
        allowed = f"the next label step is {step.next_level:g} {step.unit}" if step.action == "reduce" else step.text
        raise ValueError(f"Only the label steps are offered: {allowed}")


def _rule(code: str) -> cat.DiarrhoeaRule:
    return next(rule for rule in cat.TUCATINIB_DIARRHOEA_RULES if rule.code == code)


def _diarrhoea_choice(rule: cat.DiarrhoeaRule, current_mg: float, starting_mg: float | None) -> DiarrhoeaChoice:
    if rule.action == "discontinue":
        return DiarrhoeaChoice(rule.code, rule.situation, rule.action, None, True,
                               f"{rule.situation}: discontinue {drug_name('tucatinib')} (D2).")
    if rule.action == "hold_resume_same":
        return DiarrhoeaChoice(rule.code, rule.situation, rule.action, current_mg, False,
                               f"{rule.situation}: hold {drug_name('tucatinib')} until diarrhoea is grade "
                               f"{cat.DIARRHOEA_RESUME_MAX_GRADE} or less, then resume the same dose "
                               f"({_amount(current_mg, 'mg', 'tucatinib')}) (D2).")
    step = next_dose_level("tucatinib", current_mg, starting_mg)
    if step.action == "reduce":
        then = f"resume at the next lower dose, {_amount(step.next_level, 'mg', 'tucatinib')}"
    elif step.action == "discontinue":
        then = f"there is no lower label step below {current_mg:g} mg, so discontinue it"
    else:
        then = "no label step is below this dose, so the oncologist sets the dose"
    return DiarrhoeaChoice(rule.code, rule.situation, rule.action, step.next_level, step.action == "discontinue",
                           f"{rule.situation}: hold {drug_name('tucatinib')}, {then} (D2).",
                           note=step.note)


def diarrhoea_choices(current_mg: float, starting_mg: float | None = None) -> tuple[DiarrhoeaChoice, ...]:
    """D2's three tucatinib diarrhoea rules applied to the current dose, in the reference's order."""
    return tuple(_diarrhoea_choice(rule, current_mg, starting_mg) for rule in cat.TUCATINIB_DIARRHOEA_RULES)


def diarrhoea_choice(code: str, current_mg: float, starting_mg: float | None = None) -> DiarrhoeaChoice:
    """One D2 rule by its code (see diarrhoea_choices); ValueError for an unknown code."""
    if code not in {rule.code for rule in cat.TUCATINIB_DIARRHOEA_RULES}:
        raise ValueError(f"unknown D2 diarrhoea rule: {code}")
    return _diarrhoea_choice(_rule(code), current_mg, starting_mg)


def drugs_stopped_with(stopped: str, plan_drugs: Collection[str]) -> tuple[str, ...]:
    """The plan's drugs that stop because `stopped` stops (D3: pertuzumab stops with trastuzumab)."""
    return tuple(drug for drug in plan_drugs if cat.STOPS_WITH.get(drug) == stopped)
