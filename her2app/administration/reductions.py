"""Dose reductions as plan revisions (D2 tucatinib, D5 trastuzumab deruxtecan; pertuzumab none, D3).

Only the label steps of `regimens.reductions` are offered. A reduction copies the plan into a new draft
version (the existing revise flow) with the reduced final dose and the reason; the oncologist signs it and the
pharmacist verifies it again before nurses see it."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from her2app.plans import actions
from her2app.plans.models import PlanDose, TreatmentPlan
from regimens import catalogue
from regimens.reductions import DoseStep, check_reduction, diarrhoea_choice, next_dose_level


@dataclass(frozen=True)
class Offer:
    drug: str
    step: DoseStep


def _level(plan: TreatmentPlan, dose: PlanDose) -> float | None:
    """The dose level in the ladder's unit: mg for tucatinib, mg/kg for trastuzumab deruxtecan."""
    if dose.final_mg is None:
        return None
    unit = catalogue.DOSE_LADDERS.get(dose.drug, ((), "mg", ""))[1]
    if unit == "mg/kg":
        weight = plan.dosing_weight_kg
        return None if not weight else round(float(dose.final_mg) / weight, 1)
    return float(dose.final_mg)


def _levels_given(plan: TreatmentPlan, drug: str) -> list[float]:
    """The drug's levels over this plan and the versions it revised, oldest first (D5: never re-escalated)."""
    levels = []
    for version in reversed(list(plan.revision_chain())):
        for dose in version.doses.filter(drug=drug):
            level = _level(version, dose)
            if level is not None and (not levels or levels[-1] != level):
                levels.append(level)
    return levels


def offers(plan: TreatmentPlan) -> list[Offer]:
    """The next label step (or why there is none) for each drug of the plan, once per drug (its last phase: the
    maintenance dose, not the loading dose)."""
    found, seen = [], set()
    for dose in reversed(list(plan.doses.all())):
        if dose.drug in seen or dose.route == "PO" and dose.drug not in catalogue.DOSE_LADDERS:
            continue
        seen.add(dose.drug)
        level = _level(plan, dose)
        if level is not None:
            found.append(Offer(dose.drug, next_dose_level(dose.drug, level)))
    return found


def _reduced_mg(plan: TreatmentPlan, drug: str, level: float) -> Decimal:
    unit = catalogue.DOSE_LADDERS[drug][1]
    value = level * plan.dosing_weight_kg if unit == "mg/kg" else level
    return Decimal(str(round(value, 1)))


def reduce_dose(plan: TreatmentPlan, user, drug: str, reason: str, diarrhoea_rule: str = "") -> TreatmentPlan:
    """A new draft version with `drug` one label step lower and the reason; ValueError with a sentence when the
    reference gives no step (pertuzumab, the lowest step, a dose off the ladder)."""
    if not reason.strip():
        raise ValueError("Give the reason for the reduction.")
    levels = _levels_given(plan, drug)
    if not levels:
        raise ValueError("The plan has no dose of this drug to reduce.")
    step = next_dose_level(drug, levels[-1])
    if diarrhoea_rule:
        choice = diarrhoea_choice(diarrhoea_rule, levels[-1])
        if choice.action != "hold_resume_lower":
            raise ValueError(f"{choice.text} This is not a reduction.")
        reason = f"{reason} {choice.text}"
    if step.action != "reduce":
        raise ValueError(step.text)
    check_reduction(drug, levels, step.next_level)
    with transaction.atomic():
        revision = actions.revise_plan(plan, user)
        changes = [actions.DoseChange(dose, _reduced_mg(plan, drug, step.next_level), f"{reason.strip()} {step.text}")
                   for dose in revision.doses.filter(drug=drug)]
        return actions.update_draft(revision, user, revision.edit_version, revision.start_date,
                                    revision.clinician_notes, changes)
