"""Shared setup for the plan, PDF and nurse tests: a HER2-positive,
chemotherapy-refractory, RAS wild-type 70 kg patient (reference R6: tucatinib +
trastuzumab preferred), and plans made through the actions module."""

from datetime import date, timedelta

from her2app.cases.models import Case
from her2app.cases.clinical import run_for_case
from her2app.plans import actions
from her2app.plans.models import TreatmentPlan

START = date(2026, 12, 1)
# Day 1 of cycles 2 and 3 of the plans these tests sign (21-day cycles from START, as first scheduled).
CYCLE_2 = START + timedelta(days=21)
CYCLE_3 = START + timedelta(days=42)
PREFERRED = "tucatinib-trastuzumab"
ALTERNATIVE = "pertuzumab-trastuzumab"


def draft_plan(case: Case, oncologist, regimen: str = PREFERRED, override_reason: str = "",
               start: date = START) -> TreatmentPlan:
    """The oncologist's choice of `regimen` from the engine's result for the case, as the choose page makes it."""
    engine_input, engine_output = run_for_case(case).input_and_result()
    return actions.choose_option(
        case, oncologist, engine_input, engine_output, regimen, start, override_reason=override_reason
    )


def approved_plan(case: Case, oncologist, regimen: str = PREFERRED, override_reason: str = "") -> TreatmentPlan:
    plan, _ = actions.approve_plan(draft_plan(case, oncologist, regimen, override_reason), oncologist)
    return plan


def verifier():
    """A pharmacist who did not approve the plan (made on first use)."""
    from django.contrib.auth.models import Group, User

    from her2app.accounts import roles

    roles.ensure_roles()
    user, created = User.objects.get_or_create(username="verifier-pharmacist")
    if created:
        user.groups.add(Group.objects.get(name=roles.PHARMACIST))
    return user


def verified(plan: TreatmentPlan) -> TreatmentPlan:
    """Verify (release to nurses) an approved plan, as a pharmacist does."""
    plan, _ = actions.verify_plan(plan, verifier())
    return plan


def released_plan(case: Case, oncologist, regimen: str = PREFERRED, override_reason: str = "") -> TreatmentPlan:
    return verified(approved_plan(case, oncologist, regimen, override_reason))
