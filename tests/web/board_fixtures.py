"""Cases and engine-made plans for the FHIR, re-check and meeting tests.

Plans are made by plan_helpers.draft_plan, the way the app makes them
(plans.actions.choose_option on a real engine result), so PlanDose rows carry
the engine's doses; these start on 7 Dec 2026.
"""

from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User

from her2app.cases.models import Case
from her2app.plans import actions
from her2app.plans.models import TreatmentPlan
from tests.factories import REFRACTORY, plannable_case
from tests.web.plan_helpers import draft_plan

SEEN = date(2026, 9, 1)


def make_board_case(user: User, mrn: str = "MRN-B-1001", given: str = "Alma", family: str = "Brightwater",
                    weight: str = "70.0", profile: dict | None = None, primary_site: str = "left_colon") -> Case:
    """A chemotherapy-refractory, RAS wild-type, HER2 IHC 3+ case: tucatinib-trastuzumab preferred (R6)."""
    case = plannable_case(
        user, mrn=mrn, given_name=given, family_name=family, date_of_birth=date(1963, 5, 20), weight_kg=weight,
        profile={"her2_ihc_percent_cells": 60, "test_date": SEEN, **(profile or {})},
        lines=[{"agents": REFRACTORY, "best_response": "PD", "reason_stopped": "progression"}],
        case_fields={"status": Case.Status.DRAFT, "primary_site": primary_site},
        weight_date=SEEN, height_cm=Decimal("168.0"), lvef_percent=62, lvef_date=SEEN,
    )
    return Case.objects.get(pk=case.pk)  # fresh, so decimal fields are Decimals, not the strings passed in


def make_engine_plan(case: Case, oncologist: User, regimen: str = "tucatinib-trastuzumab",
                     approve: bool = False, override_reason: str = "") -> TreatmentPlan:
    plan = draft_plan(case, oncologist, regimen, override_reason, start=date(2026, 12, 7))
    if approve:
        plan, _ = actions.approve_plan(plan, oncologist)
    return plan
