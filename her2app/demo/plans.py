"""Demo plans, so every role has something to see on `make run`: a verified plan
on the nurse's worklist, one waiting on the pharmacist's, and one held after the
patient's weight fell (on the oncologist's list of plans on hold)."""

from datetime import date
from decimal import Decimal

from django.db import transaction

from her2app.cases import actions as case_actions
from her2app.cases.models import Case, ClinicalStatus
from her2app.cases.clinical import run_for_case
from her2app.plans import actions, holds
from her2app.plans.options import override_reasons, plannable_options
from her2app.plans.models import TreatmentPlan

# The demo patient's weight falls by this much after approval: every weight-based dose then moves beyond
# the rounding policy (a 70 kg patient's trastuzumab loading dose: 560 mg -> 480 mg).
DEMO_WEIGHT_LOSS_KG = Decimal("10")


def approve_top_option(case: Case, oncologist, start: date | None = None) -> TreatmentPlan | None:
    """Choose the engine's top plannable option for `case` and sign it (a worker renders its PDF).

    Returns None when the case already has a plan or no option can become one.
    """
    if case.plans.exists():
        return None
    engine_input, engine_output = run_for_case(case).input_and_result()
    options = plannable_options(engine_output)
    if not options or override_reasons(engine_output, options[0]["regimen"]):
        return None
    plan = actions.choose_option(
        case, oncologist, engine_input, engine_output, options[0]["regimen"], start or date.today(),
        clinician_notes="Demo plan: agreed at the tumour board.",
    )
    plan, _ = actions.approve_plan(plan, oncologist)
    return plan


def verify_demo_plan(plan: TreatmentPlan, pharmacist) -> TreatmentPlan:
    plan, _ = actions.verify_plan(plan, pharmacist)
    return plan


def hold_after_weight_loss(plan: TreatmentPlan, coordinator) -> TreatmentPlan:
    """Record a lower weight on the plan's case, as a coordinator would in the wizard; the plan goes on hold."""
    with transaction.atomic():
        case = Case.objects.get(pk=plan.case_id)
        case_actions.claim_version(case, case.version, coordinator)
        clinical = ClinicalStatus.objects.get(case=case)
        clinical.weight_kg -= DEMO_WEIGHT_LOSS_KG
        clinical.weight_date = date.today()
        clinical.save(update_fields=["weight_kg", "weight_date"])
        holds.review_case(case, coordinator)
    plan.refresh_from_db()
    return plan
