"""Shared setup for the plan, PDF and nurse tests: a HER2-positive,
chemotherapy-refractory, RAS wild-type 70 kg patient (reference R6: tucatinib +
trastuzumab preferred), and plans made through the actions module."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from pypdf import PdfReader

from her2app.cases.models import Case, ClinicalStatus, MolecularProfile, Patient, TreatmentLine
from her2app.plans import actions, engine
from her2app.plans.models import TreatmentPlan

START = date(2026, 12, 1)
PREFERRED = "tucatinib-trastuzumab"
ALTERNATIVE = "pertuzumab-trastuzumab"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def make_case(user, mrn: str = "MRN-7001", weight_kg: str | None = "70", **clinical) -> Case:
    patient = Patient.objects.create(
        mrn=mrn, given_name="Grace", family_name="Hopper", date_of_birth=date(1961, 3, 9), sex="female"
    )
    case = Case.objects.create(
        patient=patient, status=Case.Status.READY, primary_site="left_colon", created_by=user, updated_by=user
    )
    MolecularProfile.objects.create(
        case=case, her2_ihc="3+", her2_ihc_percent_cells=80, ras="wild_type", braf_v600e="wild_type", msi="mss"
    )
    values = dict(
        weight_kg=Decimal(weight_kg) if weight_kg else None, lvef_percent=60, ild_history=False, pregnant=False,
        breastfeeding=False, ecog=1, fit_for_intensive_therapy=True, hepatic_impairment="none",
        strong_cyp2c8_inhibitor=False,
    )
    values.update(clinical)
    ClinicalStatus.objects.create(case=case, **values)
    TreatmentLine.objects.create(case=case, line_number=1, agents=["fluoropyrimidine", "oxaliplatin", "irinotecan"])
    return case


def draft_plan(case: Case, oncologist, regimen: str = PREFERRED, override_reason: str = "") -> TreatmentPlan:
    engine_input, engine_output = engine.run_engine(case)
    return actions.choose_option(
        case, oncologist, engine_input, engine_output, regimen, START, override_reason=override_reason
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


def pdf_pages(content: bytes) -> list[str]:
    """The text of each page of a PDF, as pypdf extracts it."""
    return [page.extract_text() for page in PdfReader(BytesIO(content)).pages]
