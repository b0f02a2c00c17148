"""A signed demo plan, so the nurse's worklist is not empty on `make run`."""

from datetime import date

from her2app.cases.models import Case
from her2app.clinical import run_for_case
from her2app.plans import actions, engine
from her2app.plans.models import TreatmentPlan


def approve_top_option(case: Case, oncologist, start: date | None = None) -> TreatmentPlan | None:
    """Choose the engine's top plannable option for `case` and sign it (a worker renders its PDF).

    Returns None when the case already has a plan or no option can become one.
    """
    if case.plans.exists():
        return None
    engine_input, engine_output = run_for_case(case).input_and_result()
    options = engine.plannable_options(engine_output)
    if not options or engine.override_reasons(engine_output, options[0]["regimen"]):
        return None
    plan = actions.choose_option(
        case, oncologist, engine_input, engine_output, options[0]["regimen"], start or date.today(),
        clinician_notes="Demo plan: agreed at the tumour board.",
    )
    plan, _ = actions.approve_plan(plan, oncologist)
    return plan
