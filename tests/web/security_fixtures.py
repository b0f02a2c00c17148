"""Case and plan records for the hardening tests (audit, permissions, backup, logs).

Built straight through the models, with the acting user recorded the way
simple_history's request middleware records it, so these tests do not depend
on the wizard's or the plan screens' forms.
"""

from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User

from her2app.cases.models import Case, ClinicalStatus, MolecularProfile, Patient, TreatmentLine
from her2app.plans.models import PlanDose, PlanState, TreatmentPlan

# Distinctive on purpose: tests search logs and pages for these.
PATIENT_GIVEN = "Zebedee"
PATIENT_FAMILY = "Quixotic-Marmaduke"
PATIENT_MRN = "MRN-ZQ-998877"


def save_as(instance, user: User):
    instance._history_user = user
    instance.save()
    return instance


def make_case(user: User, mrn: str = PATIENT_MRN, weight: str = "70.0") -> Case:
    patient = save_as(
        Patient(mrn=mrn, given_name=PATIENT_GIVEN, family_name=PATIENT_FAMILY,
                date_of_birth=date(1961, 3, 14), sex="female"),
        user,
    )
    case = save_as(Case(patient=patient, primary_site="left_colon", created_by=user, updated_by=user), user)
    save_as(MolecularProfile(case=case, her2_ihc="3+", her2_ihc_percent_cells=60, ras="wild_type",
                             braf_v600e="wild_type", msi="mss"), user)
    save_as(TreatmentLine(case=case, line_number=1, agents=["fluoropyrimidine", "oxaliplatin"],
                          best_response="PD", reason_stopped="progression"), user)
    save_as(ClinicalStatus(case=case, weight_kg=Decimal(weight), height_cm=Decimal("170.0"), ecog=1,
                           lvef_percent=60, fit_for_intensive_therapy=True), user)
    return case


ENGINE_OUTPUT = {
    "ruleset_version": "2026.1",
    "her2_status": "positive",
    "recommendation": "anti_her2",
    "options": [{"regimen": "tucatinib-trastuzumab", "tier": "preferred", "warnings": [], "evidence": []}],
    "warnings": [],
}


def make_plan(case: Case, oncologist: User, version: int = 1, state: str = PlanState.DRAFT) -> TreatmentPlan:
    """A plan for `case` with one dose row, in `state` (moved through draft like the app does)."""
    plan = save_as(
        TreatmentPlan(case=case, version=version, regimen="tucatinib-trastuzumab", tier="preferred",
                      engine_input={"ras": "wild_type"}, engine_output=ENGINE_OUTPUT, ruleset_version="2026.1",
                      start_date=date(2026, 12, 1), cycle_days=21, chosen_by=oncologist),
        oncologist,
    )
    save_as(PlanDose(plan=plan, drug="trastuzumab", phase="loading", calculated_mg=Decimal("560.0"),
                     final_mg=Decimal("560.0"), route="IV", frequency="once", days=[1]), oncologist)
    if state != PlanState.DRAFT:
        plan.set_state(state)
        save_as(plan, oncologist)
    return plan


FAKE_PDF = b"%PDF-1.4\n% a stand-in for a rendered plan\n%%EOF\n"


def make_document(plan: TreatmentPlan, user: User, content: bytes = FAKE_PDF) -> "PlanDocument":
    """A stored plan PDF with its SHA-256, as render_plan_document stores one (without rendering)."""
    import hashlib

    from django.core.files.base import ContentFile

    from her2app.plans.models import PlanDocument

    document = PlanDocument(plan=plan, version=plan.documents.count() + 1, plan_state=plan.state,
                            sha256=hashlib.sha256(content).hexdigest(), size=len(content), created_by=user)
    document.file.save("plan.pdf", ContentFile(content), save=False)
    document.save()
    return document
