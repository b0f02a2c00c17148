"""On hold when the case changes (issue 14).

A signed plan in force (approved or verified) is checked again whenever its
case is saved: the engine runs for the plan's regimen on the case's current
data, and the plan goes on hold, review needed, when
- a dose would change beyond the rounding policy (reference D7, the site's tolerance);
- a blocking warning appears that the plan was not signed over;
- the regimen's tier falls;
- a value needed for a dose or a safety check becomes missing.
Any other difference (wording, another regimen's tier) does not hold the plan;
the re-check page lists it for review.
"""

from django.conf import settings
from django.db.models import OuterRef, Subquery

from her2app.cases.clinical import run_for_case
from her2app.cases.models import Case
from her2app.plans import actions
from her2app.plans.models import PlanState, PlanTransition, TreatmentPlan
from regimens import catalogue, vocabulary
from regimens.doses import apply_rounding_policy

IN_FORCE = (PlanState.APPROVED, PlanState.VERIFIED)


def hold_reasons(plan: TreatmentPlan, current: dict) -> list[str]:
    """Why `plan` must be held given the engine result `current` for its case's data now (empty: it need not)."""
    option = next((o for o in current.get("options", []) if o.get("regimen") == plan.regimen), None)
    if option is None:
        return [f"{plan.regimen_label} is no longer an option for this case"]
    return [
        *_tier_fell(plan, option),
        *_new_blocking_warnings(plan, option, current),
        *_newly_missing(plan, current),
        *_dose_changes(plan, option),
    ]


def _tier_fell(plan: TreatmentPlan, option: dict) -> list[str]:
    before, now = catalogue.TIER_RANK.get(plan.tier, -1), catalogue.TIER_RANK.get(option.get("tier"), -1)
    if now >= before:
        return []
    return [f"tier fell from {vocabulary.tier_label(plan.tier).lower()} "
            f"to {vocabulary.tier_label(option.get('tier')).lower()}"]


def _new_blocking_warnings(plan: TreatmentPlan, option: dict, current: dict) -> list[str]:
    """Blocking warnings on the plan's regimen, or on the case as a whole, that the plan was not signed over.
    (The result's case-level list repeats every option's warnings; another regimen's warning is not this plan's.)"""
    signed_over = {warning.get("code") for warning in plan.blocking_warnings}
    options = current.get("options", [])
    option_codes = {warning.get("code") for other in options for warning in other.get("warnings", [])}
    case_level = [w for w in current.get("warnings", []) if w.get("code") not in option_codes]
    now = [*vocabulary.blocking_warnings(option), *vocabulary.blocking_warnings({"warnings": case_level})]
    new = {warning["code"]: warning["text"] for warning in now if warning.get("code") not in signed_over}
    return [f"new blocking warning: {text}" for text in new.values()]


# The values the engine reports missing that a dose (D7: weight) or a safety check (S2: LVEF, S10: pregnancy
# status) needs; other missing values (RAS, an ISH result) change the recommendation, not this plan's safety.
DOSE_AND_SAFETY_VALUES = ("patient.weight_kg", "lvef_percent", "patient.pregnant")


def _newly_missing(plan: TreatmentPlan, current: dict) -> list[str]:
    before = set(plan.engine_output.get("missing_data", []))
    missing = [path for path in current.get("missing_data", [])
               if path in DOSE_AND_SAFETY_VALUES and path not in before]
    return [f"value now missing: {vocabulary.field_label(path)}" for path in missing]


def _dose_changes(plan: TreatmentPlan, option: dict) -> list[str]:
    now = {(dose["drug"], dose.get("phase")): dose for dose in option.get("doses", [])}
    reasons = []
    for dose in plan.doses.all():
        if dose.calculated_mg is None:
            continue  # a dose the oncologist set (S4): the engine proposes none to compare with
        name = f"{vocabulary.drug_title(dose.drug)} ({vocabulary.phase_label(dose.phase).lower()})"
        line = now.get((dose.drug, dose.phase))
        if line is None or line.get("dose_mg") is None:
            reasons.append(f"{name}: the dose can no longer be calculated")
            continue
        decision = apply_rounding_policy(float(dose.calculated_mg), float(line["dose_mg"]),
                                         settings.DOSE_ROUNDING_PERCENT)
        if decision.reason_required:
            reasons.append(f"{name}: calculated dose {float(dose.calculated_mg):g} mg is now {line['dose_mg']:g} mg "
                           f"({line.get('basis', '')})")
    return reasons


def review_case(case: Case, user) -> list[TreatmentPlan]:
    """Re-run the engine for each signed plan in force on `case` and hold those that must be; returns them."""
    plans = list(TreatmentPlan.objects.filter(case=case, state__in=IN_FORCE).prefetch_related("doses"))
    if not plans:
        return []
    fresh = Case.objects.select_related("patient", "profile", "clinical").get(pk=case.pk)
    run = run_for_case(fresh)
    if not run.ok:
        return [actions.hold_plan(plan, user, f"the case data cannot be assessed ({run.error})")
                for plan in plans]
    current = run.result
    held = []
    for plan in plans:
        if reasons := hold_reasons(plan, current):
            held.append(actions.hold_plan(plan, user, "; ".join(reasons)))
    return held


def review_all(user) -> list[TreatmentPlan]:
    """After a ruleset upgrade: review every case with a plan in force; returns the plans put on hold."""
    case_ids = TreatmentPlan.objects.filter(state__in=IN_FORCE).values_list("case_id", flat=True).distinct()
    return [plan for case in Case.objects.filter(pk__in=case_ids) for plan in review_case(case, user)]


def hold_message(plan: TreatmentPlan) -> str:
    """What the person whose save held `plan` is told."""
    return f"Plan version {plan.version} was put on hold for the oncologist's review: {plan.hold_reason}."


def with_hold_reason(plans):
    """`plans` annotated with `held_because`: the reason of each plan's latest hold."""
    latest_hold = PlanTransition.objects.filter(plan=OuterRef("pk"), to_state=PlanState.ON_HOLD).order_by("-at", "-pk")
    return plans.annotate(held_because=Subquery(latest_hold.values("reason")[:1]))
