"""Plan pages: who may choose, sign, revise and read, and what a mistake looks like."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import password_of
from her2app.plans.models import PlanDocument, PlanState, TreatmentPlan
from tests.factories import plannable_case
from tests.web.plan_helpers import ALTERNATIVE, PREFERRED, approved_plan, draft_plan


NEXT_WEEK = (date.today() + timedelta(days=7)).isoformat()  # forms accept start dates near today only


@pytest.fixture
def case(oncologist):
    return plannable_case(oncologist)


def _choose(client, case, **overrides):
    data = {"regimen": PREFERRED, "start_date": NEXT_WEEK, "override_reason": "", "clinician_notes": "",
            "case_version": case.version}
    data.update(overrides)
    return client.post(reverse("plans:choose", args=[case.pk]), data)


def test_oncologist_sees_the_options_and_creates_a_draft(client, case, oncologist):
    client.force_login(oncologist)
    page = client.get(reverse("plans:choose", args=[case.pk]))
    assert page.status_code == 200 and "Tucatinib (TUKYSA) + trastuzumab" in page.content.decode()
    assert b"PREFERRED" in page.content.upper()
    response = _choose(client, case, clinician_notes="Check blood pressure")
    plan = TreatmentPlan.objects.get()
    assert response.status_code == 302 and response.url == reverse("plans:detail", args=[plan.pk])
    assert (plan.state, plan.regimen, plan.chosen_by, plan.clinician_notes) == (
        PlanState.DRAFT, PREFERRED, oncologist, "Check blood pressure")


def test_non_top_tier_choice_without_reason_is_refused_at_the_field(client, case, oncologist):
    client.force_login(oncologist)
    response = _choose(client, case, regimen=ALTERNATIVE, clinician_notes="typed notes survive")
    assert response.status_code == 400
    form = response.context["form"]
    assert ("An override reason is required because it is not the preferred option (it is alternative)"
            in form.errors["override_reason"][0])
    assert b"typed notes survive" in response.content, "nothing the oncologist typed is lost"
    assert not TreatmentPlan.objects.exists()
    assert _choose(client, case, regimen=ALTERNATIVE, override_reason="tucatinib unavailable").status_code == 302
    assert TreatmentPlan.objects.get().override_reason == "tucatinib unavailable"


def test_choice_made_on_a_stale_case_is_refused(client, case, oncologist):
    client.force_login(oncologist)
    response = _choose(client, case, case_version=case.version - 1 if case.version > 1 else case.version + 5)
    assert response.status_code == 400 and b"The case changed" in response.content


def test_coordinator_and_nurse_cannot_choose(client, case, coordinator, nurse):
    for user in (coordinator, nurse):
        client.force_login(user)
        assert client.get(reverse("plans:choose", args=[case.pk])).status_code == 403
        assert _choose(client, case).status_code == 403
    assert not TreatmentPlan.objects.exists()


def test_anonymous_is_sent_to_login_from_every_plan_page(client, case, oncologist):
    plan = draft_plan(case, oncologist)
    for url in [reverse("plans:choose", args=[case.pk]), reverse("plans:detail", args=[plan.pk]),
                reverse("plans:nurse_worklist"), reverse("plans:nurse_plan", args=[plan.pk])]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url, url
    response = client.post(reverse("plans:approve", args=[plan.pk]), {"password": "x"})
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_coordinator_reads_a_plan_but_cannot_approve_it(client, case, oncologist, coordinator):
    plan = draft_plan(case, oncologist)
    client.force_login(coordinator)
    page = client.get(reverse("plans:detail", args=[plan.pk]))
    assert page.status_code == 200 and b"560 mg" in page.content
    assert b"Sign and approve" not in page.content
    response = client.post(reverse("plans:approve", args=[plan.pk]), {"password": password_of("cora")})
    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.state == PlanState.DRAFT


def test_approval_needs_the_password(client, case, oncologist):
    plan = draft_plan(case, oncologist)
    client.force_login(oncologist)
    missing = client.post(reverse("plans:approve", args=[plan.pk]), {"password": ""})
    wrong = client.post(reverse("plans:approve", args=[plan.pk]), {"password": "not-my-password"})
    assert missing.status_code == 400 and "required" in missing.context["approve_form"].errors["password"][0]
    assert wrong.status_code == 400 and b"That password is not correct" in wrong.content
    plan.refresh_from_db()
    assert plan.state == PlanState.DRAFT and plan.approved_by is None


def test_approval_signs_at_once_the_pdf_follows_and_a_second_submit_changes_nothing(
    client, case, oncologist, django_capture_on_commit_callbacks
):
    plan = draft_plan(case, oncologist)
    client.force_login(oncologist)
    url = reverse("plans:approve", args=[plan.pk])
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, {"password": password_of("oliver")}, follow=True)
        assert b"approved and signed" in first.content
        assert b"PDF being prepared" in first.content, "the signature returns before the PDF is rendered"
        assert not PlanDocument.objects.filter(plan=plan).exists()
    plan.refresh_from_db()
    signed_at = plan.approved_at
    assert plan.state == PlanState.APPROVED and plan.approved_by == oncologist
    assert PlanDocument.objects.filter(plan=plan, plan_state="approved").count() == 1
    assert b"PDF ready" in client.get(reverse("plans:detail", args=[plan.pk])).content
    second = client.post(url, {"password": password_of("oliver")}, follow=True)
    assert b"already approved" in second.content
    plan.refresh_from_db()
    assert plan.approved_at == signed_at
    assert PlanDocument.objects.filter(plan=plan).count() == 1


def test_dose_adjustment_beyond_tolerance_needs_a_reason(client, case, oncologist, settings):
    settings.DOSE_ROUNDING_PERCENT = 5
    plan = draft_plan(case, oncologist)
    loading = plan.doses.get(drug="trastuzumab", phase="loading")
    client.force_login(oncologist)
    data = {"start_date": NEXT_WEEK, "clinician_notes": "", "edit_version": "1"}
    for dose in plan.doses.all():
        data[f"dose-{dose.pk}-final_mg"] = str(dose.final_mg)
        data[f"dose-{dose.pk}-adjustment_reason"] = ""
    data[f"dose-{loading.pk}-final_mg"] = "500"  # 10.7% below 560 mg
    response = client.post(reverse("plans:edit", args=[plan.pk]), data)
    assert response.status_code == 400
    assert b"give a reason" in response.content and b'value="500"' in response.content
    loading.refresh_from_db()
    assert loading.final_mg == 560

    data[f"dose-{loading.pk}-final_mg"] = "550"  # 1.8%: within the policy, no reason needed
    assert client.post(reverse("plans:edit", args=[plan.pk]), data).status_code == 302
    data[f"dose-{loading.pk}-final_mg"] = "500"
    data[f"dose-{loading.pk}-adjustment_reason"] = "renal function"
    data["edit_version"] = "2"  # the version the first save made
    assert client.post(reverse("plans:edit", args=[plan.pk]), data).status_code == 302
    loading.refresh_from_db()
    assert (loading.calculated_mg, loading.final_mg, loading.adjustment_reason) == (560, 500, "renal function")


def test_approved_plan_cannot_be_edited_only_revised(client, case, oncologist):
    plan = approved_plan(case, oncologist)
    client.force_login(oncologist)
    response = client.post(reverse("plans:edit", args=[plan.pk]), {"start_date": "2027-01-01"})
    assert response.status_code == 400
    assert b"revise it to change it" in response.content
    assert b'value="2027-01-01"' in response.content, "what was typed is still shown"
    plan.refresh_from_db()
    assert plan.start_date.isoformat() == "2026-12-01"
    response = client.post(reverse("plans:revise", args=[plan.pk]))
    revision = TreatmentPlan.objects.get(version=2)
    assert response.url == reverse("plans:edit", args=[revision.pk])


def test_cancel_needs_a_reason(client, case, oncologist):
    plan = draft_plan(case, oncologist)
    client.force_login(oncologist)
    assert client.post(reverse("plans:cancel", args=[plan.pk]), {"reason": ""}).status_code == 400
    client.post(reverse("plans:cancel", args=[plan.pk]), {"reason": "wrong patient weight"})
    plan.refresh_from_db()
    assert plan.state == PlanState.CANCELLED


def test_case_page_slot_lists_every_version_with_state_and_pdfs(case, oncologist, rf):
    from django.template.loader import render_to_string

    from her2app.plans import actions, documents

    first = approved_plan(case, oncologist)
    document = documents.render_plan_document(first, oncologist)
    actions.revise_plan(first, oncologist)
    request = rf.get("/")
    request.user = oncologist
    html = render_to_string("cases/_plans_slot.html", {"case": case, "perms": _perms(oncologist)}, request=request)
    assert "Version 1" in html and "Version 2" in html and "Approved" in html and "Draft" in html
    assert reverse("plans:document", args=[document.pk]) in html
    assert reverse("plans:choose", args=[case.pk]) in html


def _perms(user):
    from django.contrib.auth.context_processors import PermWrapper

    return PermWrapper(user)


def test_signing_a_revision_reprints_the_old_version_as_superseded(
    client, case, oncologist, django_capture_on_commit_callbacks
):
    from her2app.plans import actions
    from tests.internal_codes import pdf_pages

    first = approved_plan(case, oncologist)
    revision = actions.revise_plan(first, oncologist)
    client.force_login(oncologist)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("plans:approve", args=[revision.pk]), {"password": password_of("oliver")})
    reprint = PlanDocument.objects.get(plan=first)
    assert reprint.plan_state == PlanState.SUPERSEDED
    assert all("SUPERSEDED" in page for page in pdf_pages(reprint.read_bytes()))
    assert PlanDocument.objects.get(plan=revision).plan_state == PlanState.APPROVED


def test_start_date_far_in_the_future_is_refused_at_the_field(client, case, oncologist):
    client.force_login(oncologist)
    response = _choose(client, case, start_date="9999-12-30")
    assert response.status_code == 400
    assert "Enter a start date between" in response.context["form"].errors["start_date"][0]
    assert not TreatmentPlan.objects.exists()


def test_after_a_stale_version_message_the_page_carries_the_current_version(client, case, oncologist):
    client.force_login(oncologist)
    stale = _choose(client, case, case_version="")
    assert stale.status_code == 400 and b"The case changed" in stale.content
    assert f'name="case_version" value="{case.version}"'.encode() in stale.content


def test_override_reasons_every_choice_needs_one_when_nothing_is_preferred(client, oncologist):
    case = plannable_case(oncologist, mrn="MRN-NAIVE")
    case.treatment_lines.all().delete()
    client.force_login(oncologist)
    page = client.get(reverse("plans:choose", args=[case.pk]))
    assert all(option["override_reasons"] for option in page.context["options"] if option["doses"])
    assert "Choosing this needs an override reason:</strong> no option is preferred for this case" in (
        page.content.decode())
    response = _choose(client, case, regimen="trastuzumab-deruxtecan")
    assert response.status_code == 400
    assert "no option is preferred for this case" in response.context["form"].errors["override_reason"][0]
    assert not TreatmentPlan.objects.exists()


def test_S4_the_oncologist_sets_the_lapatinib_dose_with_a_reason_on_the_draft(client, oncologist):
    case = plannable_case(oncologist, mrn="MRN-CPC", hepatic_impairment="severe")
    client.force_login(oncologist)
    choose = client.get(reverse("plans:choose", args=[case.pk])).content.decode()
    lapatinib_card = choose.split("Lapatinib (TYKERB) + trastuzumab")[1].split('class="card option"')[0]
    assert "Set by the oncologist" in lapatinib_card and "1000 mg" not in lapatinib_card
    _choose(client, case, regimen="lapatinib-trastuzumab", override_reason="Board decision")
    plan = TreatmentPlan.objects.get()
    detail = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "Before signing, the oncologist sets and justifies the dose of Lapatinib (TYKERB)" in detail
    assert "To be set by the oncologist" in detail
    lapatinib = plan.doses.get(drug="lapatinib")
    data = {"start_date": plan.start_date.isoformat(), "clinician_notes": "", "edit_version": str(plan.edit_version)}
    for dose in plan.doses.all():
        data[f"dose-{dose.pk}-final_mg"] = str(dose.final_mg or "")
        data[f"dose-{dose.pk}-adjustment_reason"] = ""
    data[f"dose-{lapatinib.pk}-final_mg"] = "750"
    response = client.post(reverse("plans:edit", args=[plan.pk]), data)
    assert response.status_code == 400
    assert "Give the reason for this dose" in response.content.decode()
    assert 'value="750"' in response.content.decode(), "the typed dose is kept"
    data[f"dose-{lapatinib.pk}-adjustment_reason"] = "Hepatology: 750 mg, weekly liver tests"
    assert client.post(reverse("plans:edit", args=[plan.pk]), data).status_code == 302
    lapatinib.refresh_from_db()
    assert (lapatinib.final_mg, lapatinib.adjustment_reason) == (Decimal("750.0"), "Hepatology: 750 mg, weekly liver tests")


def test_D9_D10_plan_page_dose_table_shows_administration_and_do_not_substitute(client, oncologist):
    case = plannable_case(oncologist, mrn="MRN-TDM1")
    plan = draft_plan(case, oncologist, "pertuzumab-trastuzumab-emtansine", override_reason="Trial protocol")
    client.force_login(oncologist)
    page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    table = page.split('class="dose-table"')[1].split("</table>")[0]
    assert "Ado-trastuzumab emtansine (KADCYLA)" in table and "Pertuzumab (PERJETA)" in table
    assert "Do not substitute ado-trastuzumab emtansine (KADCYLA) for or with trastuzumab" in table
    assert "observe 30 to 60 minutes after each pertuzumab infusion" in table
    assert "vials: 1 x 160 mg + 1 x 100 mg (waste 8 mg)" in table
