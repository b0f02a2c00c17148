"""What the verifier checks before a plan reaches nurses (issue 14): each dose's
calculation with the weight used and the date it was measured, the rounding
applied, every override reason, every blocking warning, and the engine's result
for the case's current data under the current ruleset."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist

import regimens
from her2app.cases.changes import Change, compare_inputs, compare_results
from her2app.cases.clinical import run_for_case
from her2app.plans import holds
from her2app.plans.options import find_option, rounding_decision
from her2app.plans.models import PlanDose, TreatmentPlan


@dataclass(frozen=True)
class DoseCheck:
    dose: PlanDose
    deviation_percent: Decimal | None
    within_rounding: bool | None  # None: no calculated dose to round (set by the oncologist, S4)


@dataclass(frozen=True)
class CurrentResult:
    ruleset_version: str
    tier: str
    changes: list[Change]
    data_changes: list[Change]
    hold_reasons: list[str]
    error: str = ""


def weight_date_used(plan: TreatmentPlan) -> date | None:
    """The date of the weight the plan's doses were calculated with (the case's record when it was chosen)."""
    try:
        clinical = plan.case.clinical
        return clinical.history.as_of(plan.created_at).weight_date
    except ObjectDoesNotExist:
        return None


def dose_checks(plan: TreatmentPlan) -> list[DoseCheck]:
    checks = []
    for dose in plan.doses.all():
        if dose.calculated_mg is None or dose.final_mg is None:
            checks.append(DoseCheck(dose, None, None))
            continue
        decision = rounding_decision(dose.calculated_mg, dose.final_mg)
        checks.append(DoseCheck(dose, Decimal(str(decision.deviation_percent)), not decision.reason_required))
    return checks


def current_result(plan: TreatmentPlan) -> CurrentResult:
    run = run_for_case(plan.case)
    data_changes = compare_inputs(plan.engine_input, run.engine_input)
    if not run.ok:
        return CurrentResult(regimens.RULESET_VERSION, "", [], data_changes, [],
                             f"The case's current data cannot be assessed: {run.error}")
    current = run.result
    option = find_option(current, plan.regimen) or {}
    return CurrentResult(
        ruleset_version=current.get("ruleset_version", ""),
        tier=option.get("tier", ""),
        changes=compare_results(plan.engine_output, current, plan.regimen),
        data_changes=data_changes,
        hold_reasons=holds.hold_reasons(plan, current),
    )


def verification_context(plan: TreatmentPlan) -> dict:
    return {
        "weight_kg": plan.dosing_weight_kg,
        "weight_date": weight_date_used(plan),
        "dose_checks": dose_checks(plan),
        "rounding_percent": settings.DOSE_ROUNDING_PERCENT,
        "current": current_result(plan),
    }
