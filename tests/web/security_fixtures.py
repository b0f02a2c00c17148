"""Case and plan records for the hardening tests (audit, permissions, backup, logs).

Built straight through the models, with the acting user recorded the way
simple_history's request middleware records it, so these tests do not depend
on the wizard's or the plan screens' forms.
"""

import hashlib
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.files.base import ContentFile

from her2app.cases.models import Case
from her2app.plans.models import PlanDocument, PlanDose, PlanState, TreatmentPlan
from tests.factories import make_case
from tests.web.case_helpers import post_step
from her2app.cases.models import combined_ras_fields

# Distinctive on purpose: tests search logs and pages for these.
PATIENT_GIVEN = "Zebedee"
PATIENT_FAMILY = "Quixotic-Marmaduke"
PATIENT_MRN = "MRN-ZQ-998877"


def save_as(instance, user: User):
    instance._history_user = user
    instance.save()
    return instance


def audited_case(user: User, mrn: str = PATIENT_MRN, weight: str = "70.0") -> Case:
    """The hardening tests' patient, each row saved as `user` for the history."""
    return make_case(
        user, mrn=mrn, given_name=PATIENT_GIVEN, family_name=PATIENT_FAMILY, primary_site="left_colon",
        profile={"her2_ihc": "3+", "her2_ihc_percent_cells": 60, **combined_ras_fields("wild_type"), "braf_v600e": "wild_type",
                 "msi": "mss"},
        lines=[{"agents": ["fluoropyrimidine", "oxaliplatin"], "best_response": "PD", "reason_stopped": "progression"}],
        clinical={"weight_kg": Decimal(weight), "height_cm": Decimal("170.0"), "ecog": 1, "lvef_percent": 60,
                  "fit_for_intensive_therapy": True},
        history_user=user,
    )


ENGINE_OUTPUT = {
    "ruleset_version": "2026.1",
    "her2_status": "positive",
    "recommendation": "anti_her2",
    "options": [{"regimen": "tucatinib-trastuzumab", "tier": "preferred", "warnings": [], "evidence": []}],
    "warnings": [],
}


def make_plan(case: Case, oncologist: User, version: int = 1, state: str = PlanState.DRAFT,
              schedulable: bool = False) -> TreatmentPlan:
    """A plan for `case` with one dose row, in `state` (moved through draft like the app does). `schedulable`:
    21-day cycles and a tucatinib row too, so the administration record can schedule it and its oral supply."""
    engine_output = ENGINE_OUTPUT
    if schedulable:
        engine_output = {**ENGINE_OUTPUT, "options": [{**ENGINE_OUTPUT["options"][0], "cycle_days": 21}]}
    plan = save_as(
        TreatmentPlan(case=case, version=version, regimen="tucatinib-trastuzumab", tier="preferred",
                      engine_input={"ras": "wild_type"}, engine_output=engine_output, ruleset_version="2026.1",
                      start_date=date(2026, 12, 1), cycle_days=21, chosen_by=oncologist),
        oncologist,
    )
    save_as(PlanDose(plan=plan, drug="trastuzumab", phase="loading", calculated_mg=Decimal("560.0"),
                     final_mg=Decimal("560.0"), route="IV", frequency="once", days=[1]), oncologist)
    if schedulable:
        save_as(PlanDose(plan=plan, drug="tucatinib", phase="continuous", calculated_mg=Decimal("300.0"),
                         final_mg=Decimal("300.0"), route="PO", frequency="BID", days=list(range(1, 22))), oncologist)
    if state == PlanState.DRAFT:
        return plan
    from django.utils import timezone

    after_approval = state in (PlanState.VERIFIED, PlanState.ON_HOLD)
    if state != PlanState.CANCELLED:
        plan.approved_by, plan.approved_at = oncologist, timezone.now()
    plan._history_user = oncologist
    plan.set_state(PlanState.APPROVED if after_approval else state, oncologist)
    if after_approval:
        verifier, _ = User.objects.get_or_create(username="fixture-verifier")
        plan.verified_by, plan.verified_at = verifier, timezone.now()
        plan._history_user = verifier
        plan.set_state(PlanState.VERIFIED, verifier)
    if state == PlanState.ON_HOLD:
        plan._history_user = oncologist
        plan.set_state(PlanState.ON_HOLD, oncologist)
    return plan


FAKE_PDF = b"%PDF-1.4\n% a stand-in for a rendered plan\n%%EOF\n"


def make_document(plan: TreatmentPlan, user: User, content: bytes = FAKE_PDF) -> PlanDocument:
    """A stored plan PDF with its SHA-256, as render_plan_document stores one (without rendering)."""
    document = PlanDocument(plan=plan, version=plan.documents.count() + 1, plan_state=plan.state,
                            sha256=hashlib.sha256(content).hexdigest(), size=len(content), created_by=user)
    document.file.save("plan.pdf", ContentFile(content), save=False)
    document.save()
    return document


# --- the same records, made through the web forms ------------------------------

PATIENT_STEP = {"mrn": PATIENT_MRN, "given_name": PATIENT_GIVEN, "family_name": PATIENT_FAMILY,
                "date_of_birth": "1961-03-14", "sex": "female"}
# Each later step: tests.web.case_helpers' valid payload with these values.
STEP_VALUES = {
    "tumour": {"her2_ihc_percent_cells": "60", "laboratory": "Central pathology"},
    "history": {"lines": [{"id": "", "agents": ["fluoropyrimidine", "oxaliplatin", "irinotecan"],
                           "start_date": "2025-01-10", "end_date": "2025-08-01", "best_response": "PD",
                           "reason_stopped": "progression"}]},
    "fitness": {"weight_kg": "70.0", "weight_date": "2026-11-01"},
    "review": {},
}


def case_through_wizard(client, patient: dict | None = None) -> Case:
    """A case entered step by step as a coordinator would, sent to the oncologist."""
    response = client.post("/cases/new/", patient or PATIENT_STEP)
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get(patient__mrn=(patient or PATIENT_STEP)["mrn"])
    for step, values in STEP_VALUES.items():
        response = post_step(client, case, step, **values)
        assert response.status_code == 302, f"{step}: {response.status_code}"
    case.refresh_from_db()
    assert case.status == Case.Status.READY
    return case


def plannable_regimen(client, case: Case) -> str:
    """A regimen the engine offers for `case` that needs no override reason."""
    page = client.get(f"/plans/choose/{case.pk}/")
    assert page.status_code == 200
    return next(o["regimen"] for o in page.context["options"] if o.get("doses") and not o["override_reasons"])


def plan_through_forms(client, case: Case, password: str) -> TreatmentPlan:
    """Choose the first regimen that needs no override, then sign it: the oncologist's path."""
    case.refresh_from_db()
    response = client.post(f"/plans/choose/{case.pk}/", {
        "regimen": plannable_regimen(client, case), "start_date": "2026-12-07", "case_version": str(case.version),
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    plan = TreatmentPlan.objects.filter(case=case).latest("version")
    response = client.post(f"/plans/{plan.pk}/approve/", {"password": password})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.state == PlanState.APPROVED
    return plan
