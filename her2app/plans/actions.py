"""Every change to a treatment plan goes through one of these functions.

Each state change calls TreatmentPlan.set_state, which checks the transition
map and writes the PlanTransition audit row in the same transaction; the
case's status follows through her2app.cases.actions.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from her2app.cases import actions as case_actions
from her2app.cases.models import Case
from her2app.cases.clinical import run_for_case
from her2app.plans import calendar, documents
from her2app.plans.options import find_option, override_reasons
from her2app.plans.models import (
    SIGNED_STATES,
    OverrideReasonMissing,
    PlanDose,
    PlanState,
    TreatmentPlan,
)
from regimens import vocabulary


class PlanActionError(Exception):
    """An action that cannot be done as asked; the message is shown to the user."""


class DraftConflict(Exception):
    """Someone else saved the draft after the edit version this editor started from."""

    def __init__(self, plan: TreatmentPlan):
        self.plan = plan
        super().__init__(f"plan {plan.pk} was saved by someone else (now edit version {plan.edit_version})")


@dataclass(frozen=True)
class DoseChange:
    dose: PlanDose
    final_mg: Decimal
    adjustment_reason: str


def _locked(plan: TreatmentPlan) -> TreatmentPlan:
    """The plan's row as it stands now, locked until the transaction ends."""
    return TreatmentPlan.objects.select_for_update().get(pk=plan.pk)


def _require_reason(reason: str, refusal: str) -> None:
    if not reason.strip():
        raise PlanActionError(refusal)


def _next_version(case: Case) -> int:
    current = TreatmentPlan.objects.filter(case=case).aggregate(highest=Max("version"))["highest"]
    return (current or 0) + 1


def _current_approved(case: Case) -> TreatmentPlan | None:
    return TreatmentPlan.objects.filter(case=case, state__in=SIGNED_STATES).order_by("-version").first()


def _lock_case(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def _refresh_calendar(plan: TreatmentPlan) -> None:
    plan.calendar = calendar.schedule_for(plan.option_as_signed(), plan.start_date)
    plan.save(update_fields=["calendar"])


def choose_option(
    case: Case,
    user,
    engine_input: dict,
    engine_output: dict,
    regimen: str,
    start_date: date,
    override_reason: str = "",
    clinician_notes: str = "",
) -> TreatmentPlan:
    """Create a draft plan (next version for the case) from one engine option."""
    option = find_option(engine_output, regimen)
    if option is None or not option.get("doses"):
        raise PlanActionError(f"{regimen} is not an option with doses in this engine result.")
    if reasons := override_reasons(engine_output, regimen):
        if not override_reason.strip():
            raise PlanActionError(f"This choice needs a written override reason: {'; '.join(reasons)}.")
    with transaction.atomic():
        case = _lock_case(case)
        plan = TreatmentPlan.objects.create(
            case=case,
            version=_next_version(case),
            regimen=regimen,
            tier=option.get("tier", ""),
            engine_input=engine_input,
            engine_output=engine_output,
            ruleset_version=engine_output.get("ruleset_version", ""),
            start_date=start_date,
            cycle_days=option.get("cycle_days") or 21,
            monitoring=list(option.get("monitoring", [])),
            clinician_notes=clinician_notes,
            override_reason=override_reason.strip(),
            chosen_by=user,
            supersedes=_current_approved(case),
        )
        PlanDose.objects.bulk_create(
            [PlanDose.from_engine(plan, position, dose) for position, dose in enumerate(option["doses"])]
        )
        _refresh_calendar(plan)
        plan.record_created(user, reason="chosen")
    return plan


def update_draft(
    plan: TreatmentPlan,
    user,
    expected_version: int,
    start_date: date,
    clinician_notes: str,
    dose_changes: list[DoseChange],
) -> TreatmentPlan:
    """Change a draft's start date, notes and final doses; the calendar follows.

    The save claims the next edit version with one conditional UPDATE, so of
    several editors who opened the same version exactly one saves; the others
    get DraftConflict and nothing of theirs is written.
    """
    with transaction.atomic():
        claimed = TreatmentPlan.objects.filter(
            pk=plan.pk, state=PlanState.DRAFT, edit_version=expected_version
        ).update(edit_version=F("edit_version") + 1)
        plan = TreatmentPlan.objects.get(pk=plan.pk)
        if not plan.is_draft:
            raise PlanActionError(f"{plan.state_sentence}; it cannot change.")
        if not claimed:
            raise DraftConflict(plan)
        plan.start_date = start_date
        plan.clinician_notes = clinician_notes
        plan.save(update_fields=["start_date", "clinician_notes"])
        for change in dose_changes:
            dose = change.dose
            if dose.plan_id != plan.pk:
                raise PlanActionError("A dose of another plan was submitted; nothing was saved.")
            dose.final_mg = change.final_mg
            dose.adjustment_reason = change.adjustment_reason if dose.adjusted or dose.clinician_sets_dose else ""
            dose.save(update_fields=["final_mg", "adjustment_reason"])
        _refresh_calendar(plan)
    return plan


def approve_plan(plan: TreatmentPlan, user) -> tuple[TreatmentPlan, bool]:
    """Sign a draft. Returns (plan, True) if this call approved it, (plan, False)
    if it was already approved (a double submit approves once).

    The password check is the caller's job (the approval form). Approving
    supersedes the case's previously approved plan, marks the case planned and
    asks for the PDFs in the same transaction; a worker renders them once it
    commits, so the signature never waits for (or fails with) the renderer.
    """
    with transaction.atomic():
        locked = _locked(plan)
        if locked.is_approved:
            return locked, False
        if not locked.is_draft:
            raise PlanActionError(f"{locked.state_sentence}; it cannot be approved.")
        if unset := locked.doses_to_set:
            names = ", ".join(f"{vocabulary.drug_name(dose.drug)} ({vocabulary.phase_label(dose.phase).lower()})"
                              for dose in unset)
            raise PlanActionError(f"Set the dose, with its reason, of {names} before signing.")
        case = _lock_case(locked.case)
        older_plans = list(
            TreatmentPlan.objects.select_for_update().filter(case=case, state__in=SIGNED_STATES).order_by("-version")
        )
        for older in older_plans:
            older.set_state(PlanState.SUPERSEDED, user, reason=f"superseded by version {locked.version}")
        if older_plans:
            locked.supersedes = older_plans[0]  # the version this signature actually replaces
        locked.approved_by = user
        locked.approved_at = timezone.now()
        locked.set_state(PlanState.APPROVED, user, reason="signed with password")
        case_actions.plan_approved(case, user)
        documents.request_documents(locked, user)
    return locked, True


def revise_plan(plan: TreatmentPlan, user) -> TreatmentPlan:
    """Copy a signed plan (approved, verified or on hold) into a new draft version; approving it supersedes
    the old one."""
    if plan.state not in SIGNED_STATES:
        raise PlanActionError(f"{plan.state_sentence}; only a signed plan can be revised (edit a draft instead).")
    if plan.is_on_hold:
        return _revise_from_current_data(plan, user)
    try:
        return _copy_as_draft(plan, user)
    except OverrideReasonMissing:
        raise PlanActionError(
            f"Version {plan.version} was signed without an override reason, which its choice now needs. "
            "Choose the regimen again from the case and give the reason."
        ) from None


def _revise_from_current_data(plan: TreatmentPlan, user) -> TreatmentPlan:
    """A held plan was held because the case changed: its revision starts from the engine run on the case's
    current data (doses, tier and warnings as they are now), never from the stale snapshot."""
    run = run_for_case(plan.case)
    if not run.ok:
        raise PlanActionError(f"The case's current data cannot be assessed ({run.error}); correct the case first.")
    engine_input, engine_output = run.input_and_result()
    needed = override_reasons(engine_output, plan.regimen)
    if needed and needed != plan.override_reasons_needed:
        raise PlanActionError(
            f"On the case's current data, {plan.regimen_label} needs a new override reason ({'; '.join(needed)}). "
            "Choose the regimen again from the case and give the reason."
        )
    return choose_option(
        plan.case, user, engine_input, engine_output, plan.regimen, plan.start_date,
        override_reason=plan.override_reason, clinician_notes=plan.clinician_notes,
    )


def _copy_as_draft(plan: TreatmentPlan, user) -> TreatmentPlan:
    with transaction.atomic():
        case = _lock_case(plan.case)
        revision = TreatmentPlan.objects.create(
            case=case,
            version=_next_version(case),
            regimen=plan.regimen,
            tier=plan.tier,
            engine_input=plan.engine_input,
            engine_output=plan.engine_output,
            ruleset_version=plan.ruleset_version,
            start_date=plan.start_date,
            cycle_days=plan.cycle_days,
            calendar=plan.calendar,
            monitoring=plan.monitoring,
            clinician_notes=plan.clinician_notes,
            override_reason=plan.override_reason,
            chosen_by=user,
            supersedes=plan,
        )
        PlanDose.objects.bulk_create([dose.copy_for(revision) for dose in plan.doses.all()])
        revision.record_created(user, reason=f"revision of version {plan.version}")
    return revision


def cancel_plan(plan: TreatmentPlan, user, reason: str) -> TreatmentPlan:
    """Cancel a draft or an approved plan (with a reason)."""
    _require_reason(reason, "Give a reason for cancelling the plan.")
    with transaction.atomic():
        locked = _locked(plan)
        was_signed = locked.state in SIGNED_STATES
        locked.set_state(PlanState.CANCELLED, user, reason=reason.strip())
        if was_signed and not TreatmentPlan.objects.filter(case=locked.case, state__in=SIGNED_STATES).exists():
            case_actions.no_approved_plan_left(_lock_case(locked.case), user)
    return locked


# --- after approval: verification, holds, resuming ---------------------------------
def may_verify(user) -> bool:
    """Pharmacists verify; where the institution allows it, so may a second oncologist."""
    if user.has_perm("plans.verify_treatmentplan"):
        return True
    return settings.PLAN_ONCOLOGIST_MAY_VERIFY and user.has_perm("plans.approve_treatmentplan")


def verify_plan(plan: TreatmentPlan, user) -> tuple[TreatmentPlan, bool]:
    """The second, independent signature: release an approved plan to nurses.

    Returns (plan, False) for a double submit. The password check is the caller's (the form's) job.
    """
    if not may_verify(user):
        raise PlanActionError("Only a pharmacist (or, where allowed, a second oncologist) may verify a plan.")
    with transaction.atomic():
        locked = _locked(plan)
        if locked.is_verified and locked.verified_by_id == user.pk:
            return locked, False
        if not locked.is_approved:
            raise PlanActionError(f"{locked.state_sentence}; only a plan awaiting verification can be verified.")
        if locked.approved_by_id == user.pk:
            raise PlanActionError("You approved this plan; another person must verify it.")
        locked.verified_by, locked.verified_at = user, timezone.now()
        locked.set_state(PlanState.VERIFIED, user, reason="verified with password")
        documents.request_documents(locked, user)
    return locked, True


def return_plan(plan: TreatmentPlan, user, reason: str) -> TreatmentPlan:
    """The verifier sends an approved plan back to the oncologist (on hold, with the reason)."""
    if not may_verify(user):
        raise PlanActionError("Only the verifier may return a plan.")
    _require_reason(reason, "Give the reason the plan is returned.")
    with transaction.atomic():
        locked = _locked(plan)
        if not locked.is_approved:
            raise PlanActionError(f"{locked.state_sentence}; only a plan awaiting verification can be returned.")
        locked.set_state(PlanState.ON_HOLD, user, reason=f"Returned by the verifier: {reason.strip()}")
    return locked


def hold_plan(plan: TreatmentPlan, user, reason: str) -> TreatmentPlan:
    """Put an approved or verified plan on hold (review needed); its PDF is re-issued saying so."""
    with transaction.atomic():
        locked = _locked(plan)
        locked.set_state(PlanState.ON_HOLD, user, reason=reason)
        documents.request_documents(locked, user)
    return locked


def resume_plan(plan: TreatmentPlan, user, reason: str) -> TreatmentPlan:
    """The oncologist keeps a held plan as it is (reason and signature): it goes back to verification."""
    _require_reason(reason, "Give the reason the plan can continue unchanged.")
    with transaction.atomic():
        locked = _locked(plan)
        if not locked.is_on_hold:
            raise PlanActionError(f"{locked.state_sentence}; only a plan on hold can be resumed.")
        locked.verified_by, locked.verified_at = None, None
        locked.set_state(PlanState.APPROVED, user, reason=f"Resumed: {reason.strip()}")
        documents.request_documents(locked, user)
    return locked
