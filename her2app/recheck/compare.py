"""Re-check saved plans under the current ruleset.

Each case's current plan (its approved plan, else its newest draft) stores
the engine input and output it was made with. Re-running the engine on that
stored input isolates what the rules changed, not what the case data did.
"""

from dataclasses import dataclass, field

import regimens
from her2app.cases.engine import HER2_STATUS_LABELS, RECOMMENDATION_LABELS, REGIMEN_LABELS, TIER_LABELS
from her2app.plans.models import PlanState, TreatmentPlan

NOT_LISTED = "not listed"


@dataclass(frozen=True)
class Change:
    what: str
    stored: str
    current: str


@dataclass(frozen=True)
class Recheck:
    plan: TreatmentPlan
    current_version: str
    changes: list[Change] = field(default_factory=list)
    error: str = ""

    @property
    def differs(self) -> bool:
        return bool(self.changes or self.error)


def current_plans() -> list[TreatmentPlan]:
    """One plan per case: the approved one, else the newest draft."""
    plans = (
        TreatmentPlan.objects.filter(state__in=[PlanState.APPROVED, PlanState.DRAFT])
        .select_related("case__patient")
        .order_by("case_id", "state", "-version")  # "approved" sorts before "draft"
    )
    chosen: dict[int, TreatmentPlan] = {}
    for plan in plans:
        chosen.setdefault(plan.case_id, plan)
    return list(chosen.values())


def recheck_plan(plan: TreatmentPlan) -> Recheck:
    try:
        current = regimens.recommend(plan.engine_input)
    except regimens.InvalidInput as error:
        message = f"The stored input is not valid under the current rules: {error}"
        return Recheck(plan, regimens.RULESET_VERSION, error=message)
    return Recheck(plan, current.get("ruleset_version", ""), compare_results(plan.engine_output, current, plan.regimen))


def recheck_all() -> list[Recheck]:
    return [recheck_plan(plan) for plan in current_plans()]


def compare_results(stored: dict, current: dict, chosen_regimen: str) -> list[Change]:
    """What a clinician needs to see: status, recommendation, every tier, and
    the doses of the chosen regimen."""
    changes = [
        Change(label, _label(labels, stored.get(key)), _label(labels, current.get(key)))
        for key, label, labels in (
            ("her2_status", "HER2 status", HER2_STATUS_LABELS),
            ("recommendation", "Recommendation", RECOMMENDATION_LABELS),
        )
        if stored.get(key) != current.get(key)
    ]
    changes += _keyed_changes("Tier of {}", _tiers(stored), _tiers(current))
    regimen = REGIMEN_LABELS.get(chosen_regimen, chosen_regimen)
    changes += _keyed_changes(f"{regimen}: {{}}", _doses(stored, chosen_regimen), _doses(current, chosen_regimen))
    return changes


def _label(labels: dict[str, str], value) -> str:
    return labels.get(value, str(value)) if value not in (None, "") else NOT_LISTED


def _keyed_changes(template: str, stored: dict[str, str], current: dict[str, str]) -> list[Change]:
    keys = list(dict.fromkeys([*stored, *current]))
    return [
        Change(template.format(key), stored.get(key, NOT_LISTED), current.get(key, NOT_LISTED))
        for key in keys
        if stored.get(key) != current.get(key)
    ]


def _tiers(result: dict) -> dict[str, str]:
    return {
        REGIMEN_LABELS.get(option["regimen"], option["regimen"]): _label(TIER_LABELS, option.get("tier"))
        for option in result.get("options", [])
    }


def _doses(result: dict, regimen: str) -> dict[str, str]:
    option = next((o for o in result.get("options", []) if o.get("regimen") == regimen), {})
    return {
        f"{dose['drug'].replace('_', ' ')} ({dose.get('phase', '')})":
            f"{dose['dose_mg']:g} mg {dose.get('route', '')} {dose.get('frequency', '')} [{dose.get('basis', '')}]"
        for dose in option.get("doses", [])
    }
