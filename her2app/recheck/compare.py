"""Re-check saved results against the current ruleset and each case's current data.

Two kinds of saved result are checked:
- every signed plan in force (approved, verified or on hold): what was signed (its engine snapshot) against the engine
  run now on the case's current data. The plan keeps its own ruleset version;
  a difference means the plan needs review, not that it changes.
- every case without an approved plan that has a saved result: the newest of
  the result stored when the case was sent for review and the snapshot of its
  newest draft plan, against the engine run now on the case's current data.

A case or plan is listed when the result differs (HER2 status, recommendation,
best option, any tier, the doses of the chosen or best option, blocking
warnings, missing data). The data changes since then are shown beside it, so a
reader sees why ("Weight: 70 kg -> 60 kg").
"""

from dataclasses import dataclass, field
from datetime import datetime

import regimens
from her2app.cases.changes import Change, compare_inputs, compare_results
from her2app.cases.clinical import run_for_case
from her2app.cases.models import Case
from her2app.plans.models import SIGNED_STATES, PlanState, TreatmentPlan
from regimens import vocabulary

SIGNED_LABELS = {PlanState.APPROVED: "approved plan", PlanState.VERIFIED: "verified plan",
                 PlanState.ON_HOLD: "plan on hold"}


@dataclass(frozen=True)
class Saved:
    """A saved engine result: the input and output it was made from, and what it was."""

    case: Case
    engine_input: dict
    engine_output: dict
    label: str  # "approved plan version 2", "sent for review", ...
    at: datetime | None
    plan: TreatmentPlan | None = None

    @property
    def ruleset_version(self) -> str:
        return self.engine_output.get("ruleset_version", "")

    @property
    def regimen(self) -> str:
        """The regimen whose doses are compared: the plan's choice, else the saved best option."""
        if self.plan is not None:
            return self.plan.regimen
        best = vocabulary.best_option(self.engine_output.get("options", []))
        return best["regimen"] if best else ""


@dataclass(frozen=True)
class Recheck:
    saved: Saved
    current_version: str
    changes: list[Change] = field(default_factory=list)
    data_changes: list[Change] = field(default_factory=list)
    error: str = ""

    @property
    def differs(self) -> bool:
        return bool(self.changes or self.error)

    @property
    def case(self) -> Case:
        return self.saved.case

    @property
    def plan(self) -> TreatmentPlan | None:
        return self.saved.plan


def saved_results() -> list[Saved]:
    """Every approved plan, and every case without one whose engine result was saved."""
    plans = (
        TreatmentPlan.objects.filter(state__in=[*SIGNED_STATES, PlanState.DRAFT])
        .select_related("case__patient")
        .order_by("case_id", "-version")
    )
    approved: list[Saved] = []
    newest_draft: dict[int, TreatmentPlan] = {}
    for plan in plans:
        if plan.state in SIGNED_STATES:
            label = f"{SIGNED_LABELS[plan.state]} version {plan.version}"
            approved.append(Saved(plan.case, plan.engine_input, plan.engine_output, label, plan.approved_at, plan))
        else:
            newest_draft.setdefault(plan.case_id, plan)
    with_approved = {saved.case.pk for saved in approved}
    cases = [saved for saved in _case_results(newest_draft) if saved.case.pk not in with_approved]
    return approved + cases


def _case_results(newest_draft: dict[int, TreatmentPlan]) -> list[Saved]:
    results = []
    sent = Case.objects.filter(sent_engine_output__isnull=False).select_related("patient")
    sent_by_pk = {case.pk: case for case in sent}
    for pk in sorted(set(sent_by_pk) | set(newest_draft)):
        draft, case = newest_draft.get(pk), sent_by_pk.get(pk)
        if draft is not None and (case is None or case.sent_at is None or draft.created_at >= case.sent_at):
            results.append(Saved(draft.case, draft.engine_input, draft.engine_output,
                                 f"draft plan version {draft.version}", draft.created_at, draft))
        else:
            results.append(Saved(case, case.sent_engine_input or {}, case.sent_engine_output, "sent for review",
                                 case.sent_at))
    return results


def recheck(saved: Saved) -> Recheck:
    run = run_for_case(saved.case)
    data_changes = compare_inputs(saved.engine_input, run.engine_input)
    if not run.ok:
        message = f"The case's current data cannot be assessed under the current rules: {run.error}"
        return Recheck(saved, regimens.RULESET_VERSION, data_changes=data_changes, error=message)
    current = run.result
    changes = compare_results(saved.engine_output, current, saved.regimen)
    return Recheck(saved, current.get("ruleset_version", ""), changes, data_changes)


def recheck_all() -> list[Recheck]:
    return [recheck(saved) for saved in saved_results()]


def never_sent_drafts() -> int:
    """Draft cases with no saved result: nothing was shown or signed, so there is nothing to compare."""
    return Case.objects.filter(sent_engine_output__isnull=True, plans__isnull=True).count()
