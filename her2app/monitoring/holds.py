"""M1 acting on the plan: a new LVEF that meets a withhold or stop criterion puts the plan on hold.

Evaluated only when an LVEF is recorded or changed, so a plan the oncologist resumed is not held again
for the same measurement.
"""

from her2app.cases.models import Case
from her2app.monitoring.lvef import lvef_status
from her2app.monitoring.models import Kind, Measurement, PregnancyStatus
from her2app.monitoring.series import make_current, record_from_case
from her2app.plans import actions
from her2app.plans import holds as plan_holds
from her2app.plans.holds import IN_FORCE
from her2app.plans.models import TreatmentPlan


def hold_for_lvef(case: Case, user) -> list[TreatmentPlan]:
    """Hold the case's plan under M1 when the LVEF series now withholds or stops trastuzumab."""
    status = lvef_status(case)
    if not status.holds_plan or status.plan.state not in IN_FORCE:
        return []
    return [actions.hold_plan(status.plan, user, f"LVEF (M1): {status.text}")]


def record_case_values(case: Case, user) -> list[TreatmentPlan]:
    """After a wizard save: the case record's values join the series; a changed LVEF is judged under M1."""
    if record_from_case(case, user):
        return hold_for_lvef(case, user)
    return []


def after_case_save(sender, case: Case, step: str, user, **kwargs) -> list[str]:
    """A wizard save (the cases app's `case_data_saved`): the values join the series, a new LVEF judged
    under M1, then a signed plan the change affects goes on hold. Returns what the person is told."""
    held = record_case_values(case, user) + plan_holds.review_case(case, user)
    return [plan_holds.hold_message(plan) for plan in held]


def after_entry(entry: Measurement | PregnancyStatus, user) -> list[TreatmentPlan]:
    """An entry recorded on the measurements page: the latest weight, LVEF or pregnancy status becomes the case's
    current value (for the engine and the re-check), and a new LVEF is judged under M1. No wizard save is
    announced (the series has the entry already) and no plan review runs: on an administration day the
    readiness checklist judges the new weight or pregnancy status against the plan, and the oncologist decides
    there. Returns the plans held."""
    make_current(entry, user)
    return hold_for_lvef(entry.case, user) if isinstance(entry, Measurement) and entry.kind == Kind.LVEF else []
