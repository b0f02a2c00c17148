"""Clinical records are view-only in the admin for everyone, superusers included:
no add, change, delete or history revert, and no PDF or checksum from a form."""

import hashlib

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from her2app.plans.models import PlanDocument, PlanState, PlanTransition, TreatmentPlan
from tests.web.security_fixtures import audited_case, make_document, make_plan

CLINICAL_APPS = {"cases", "plans", "meetings", "rendering", "audit"}
FORGED_PDF = b"%PDF-1.4\n% forged\n%%EOF\n"


@pytest.fixture
def superuser(admin_user, client):
    assert admin_user.is_superuser
    client.force_login(admin_user)
    return admin_user


@pytest.fixture
def signed(oncologist):
    plan = make_plan(audited_case(oncologist), oncologist, version=1, state=PlanState.APPROVED)
    return plan, make_document(plan, oncologist)


def test_every_clinical_model_in_the_admin_refuses_add_change_and_delete_to_a_superuser(rf, admin_user):
    request = rf.get("/admin/")
    request.user = admin_user
    clinical = [(model, model_admin) for model, model_admin in admin.site._registry.items()
                if model._meta.app_label in CLINICAL_APPS]
    assert {model for model, _ in clinical} >= {TreatmentPlan, PlanDocument, PlanTransition,
                                                apps.get_model("plans", "PlanDose"),
                                                apps.get_model("rendering", "RenderJob")}
    for model, model_admin in clinical:
        assert model_admin.has_view_permission(request), f"{model.__name__} should stay visible"
        allowed = [what for what, check in (("add", model_admin.has_add_permission),
                                            ("change", model_admin.has_change_permission),
                                            ("delete", model_admin.has_delete_permission)) if check(request)]
        assert not allowed, f"a superuser may {allowed} {model.__name__} in the admin"


def test_superuser_cannot_forge_an_approved_plan_through_the_add_page(client, superuser, oncologist):
    case = audited_case(oncologist)
    url = reverse("admin:plans_treatmentplan_add")
    assert client.get(url).status_code == 403
    response = client.post(url, {
        "case": case.pk, "version": 1, "regimen": "tucatinib-trastuzumab", "tier": "preferred",
        "engine_input": "{}", "engine_output": "{}", "ruleset_version": "2026.2", "start_date": "2026-12-01",
        "cycle_days": 21, "calendar": '[{"date": "2026-12-01"}]', "monitoring": "[]", "state": "approved",
        "chosen_by": oncologist.pk, "approved_by": oncologist.pk, "approved_at_0": "2026-11-29",
        "approved_at_1": "10:00:00",
    })
    assert response.status_code == 403
    assert not TreatmentPlan.objects.exists()


def test_superuser_cannot_change_or_delete_a_signed_plan(client, superuser, signed):
    plan, _ = signed
    change = client.post(reverse("admin:plans_treatmentplan_change", args=[plan.pk]), {"regimen": "other"})
    delete = client.post(reverse("admin:plans_treatmentplan_delete", args=[plan.pk]), {"post": "yes"})
    assert change.status_code == 403 and delete.status_code == 403
    plan.refresh_from_db()
    assert plan.regimen == "tucatinib-trastuzumab"
    assert client.get(reverse("admin:plans_treatmentplan_change", args=[plan.pk])).status_code == 200, "view only"


def test_superuser_cannot_revert_a_plan_through_the_history_form(client, superuser, signed, oncologist):
    plan, _ = signed
    first = plan.history.order_by("history_date").first()
    url = reverse("admin:plans_treatmentplan_simple_history", args=[plan.pk, first.history_id])
    response = client.post(url, {"state": "draft", "regimen": "pertuzumab-trastuzumab", "_save": "Revert"})
    assert response.status_code == 403
    plan.refresh_from_db()
    assert (plan.state, plan.regimen) == (PlanState.APPROVED, "tucatinib-trastuzumab")
    assert plan.history.count() == first.instance.history.count()


def test_superuser_cannot_upload_a_pdf_with_its_own_checksum(client, superuser, signed, oncologist):
    plan, document = signed
    url = reverse("admin:plans_plandocument_add")
    response = client.post(url, {
        "plan": plan.pk, "version": 2, "plan_state": "approved", "created_by": oncologist.pk,
        "sha256": hashlib.sha256(FORGED_PDF).hexdigest(), "size": len(FORGED_PDF),
        "file": SimpleUploadedFile("plan.pdf", FORGED_PDF, content_type="application/pdf"),
    })
    assert response.status_code == 403
    assert list(PlanDocument.objects.values_list("pk", flat=True)) == [document.pk]
    change = client.post(reverse("admin:plans_plandocument_change", args=[document.pk]),
                         {"sha256": hashlib.sha256(FORGED_PDF).hexdigest()})
    assert change.status_code == 403
    document.refresh_from_db()
    assert document.verify_checksum()


def test_transitions_and_doses_cannot_be_added_in_the_admin(client, superuser, signed):
    plan, _ = signed
    transitions = list(PlanTransition.objects.filter(plan=plan).values_list("pk", flat=True))
    for name in ("plans_plantransition_add", "plans_plandose_add"):
        assert client.post(reverse(f"admin:{name}"), {"plan": plan.pk}).status_code == 403, name
    assert list(PlanTransition.objects.filter(plan=plan).values_list("pk", flat=True)) == transitions
