"""The printed plan: what a nurse reads must be on the paper, every page must
identify the patient and the version, and a tampered file is never served."""

import re

import pytest
from django.db import transaction
from django.urls import reverse

from conftest import at, named_example_user, password_of
from her2app.plans import actions, documents
from her2app.plans.models import PlanDocument, PlanState
from her2app.plans.pdf import render_plan_pdf
from her2app.rendering.jobs import run_job
from her2app.rendering.models import RenderJob
from regimens import RULESET_VERSION
from tests.factories import plannable_case
from tests.internal_codes import pdf_pages, pdf_text
from tests.web.plan_helpers import approved_plan, draft_plan, verified


@pytest.fixture
def case(oncologist):
    return plannable_case(oncologist)


@pytest.fixture(scope="module")
def rendered_approved_plan(django_db_setup, django_db_blocker) -> tuple[int, list[str]]:
    """(plan id, text of each page) of the `case` fixture's plan approved, rendered once for the tests that only
    read that PDF. The plan is made in a transaction rolled back at once: no test finds it in the database."""
    with django_db_blocker.unblock(), transaction.atomic():
        oncologist = named_example_user("oliver")
        plan = approved_plan(plannable_case(oncologist), oncologist)
        pages = pdf_pages(render_plan_pdf(plan))
        transaction.set_rollback(True)
    return plan.pk, pages


@pytest.fixture
def approved_pdf(db, rendered_approved_plan) -> tuple[int, list[str]]:
    """A database test like the others in this module, so it runs beside them (and before transactional tests)."""
    return rendered_approved_plan


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_approved_pdf_shows_patient_doses_dates_and_signer(approved_pdf):
    _, pages = approved_pdf
    text = _squash(" ".join(pages))
    for expected in [
        "Grace Hopper", "MRN-7001", "9 Mar 1961",
        "trastuzumab", "560 mg", "420 mg", "Tucatinib (TUKYSA)", "300 mg", "twice daily", "8 mg/kg x 70 kg",
        "6 mg/kg x 70 kg", "IV infusion over 90 minutes", "swallowed whole",
        "1 Dec 2026", "22 Dec 2026", "12 Jan 2027",
        "Continue until disease progression or unacceptable toxicity",
        "LVEF", "MOUNTAINEER", f"ruleset {RULESET_VERSION}", "Oliver Oncologist", "Administration record", "Nurse initials",
    ]:
        assert expected in text, f"the approved plan PDF should show {expected!r}"
    assert "DRAFT" not in text


def test_every_page_identifies_patient_version_and_page_count(approved_pdf):
    plan_id, pages = approved_pdf
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        page = _squash(page)
        assert "HOPPER, Grace" in page and "MRN MRN-7001" in page and "DOB 9 Mar 1961" in page
        assert f"Plan {plan_id} · version 1" in page
        assert f"Page {number} of {len(pages)}" in page
        assert "Valid as of" in page


def test_draft_says_draft_on_every_page(case, oncologist):
    pages = pdf_pages(render_plan_pdf(draft_plan(case, oncologist)))
    assert all("DRAFT" in page for page in pages)
    assert "NOT APPROVED" in pages[0]


def test_superseded_version_says_so_on_every_page(case, oncologist):
    first = approved_plan(case, oncologist)
    actions.approve_plan(actions.revise_plan(first, oncologist), oncologist)
    first.refresh_from_db()
    pages = pdf_pages(render_plan_pdf(first))
    assert all("SUPERSEDED" in page for page in pages), "a superseded plan must say so on every page"
    assert "by version 2" in _squash(pages[0])


def test_stored_document_has_checksum_and_version(case, oncologist):
    plan = approved_plan(case, oncologist)
    first = documents.render_plan_document(plan, oncologist)
    second = documents.render_plan_document(plan, oncologist)
    assert (first.version, second.version) == (1, 2)
    assert first.verify_checksum() and len(first.sha256) == 64
    assert first.file.name.startswith(f"plans/{case.pk}/")
    assert first.plan_state == PlanState.APPROVED and first.created_by == oncologist


def test_download_is_inline_pdf_named_after_mrn_and_version(client, case, oncologist):
    first = approved_plan(case, oncologist)
    revision = actions.revise_plan(first, oncologist)
    document = documents.render_plan_document(revision, oncologist)
    client.force_login(oncologist)
    response = client.get(reverse("plans:document", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="plan-MRN-7001-v2.pdf"'
    assert response.content.startswith(b"%PDF")


def test_tampered_pdf_is_refused_with_an_explanation(client, case, oncologist):
    document = documents.render_plan_document(approved_plan(case, oncologist), oncologist)
    path = document.file.path
    with open(path, "r+b") as handle:
        handle.seek(200)
        handle.write(b"tampered")
    assert not document.verify_checksum()
    client.force_login(oncologist)
    response = client.get(reverse("plans:document", args=[document.pk]))
    assert response.status_code == 409
    assert b"does not match the SHA-256" in response.content
    assert not response.content.startswith(b"%PDF")


def test_missing_file_is_refused_not_a_server_error(client, case, oncologist):
    document = documents.render_plan_document(approved_plan(case, oncologist), oncologist)
    document.file.storage.delete(document.file.name)
    client.force_login(oncologist)
    assert client.get(reverse("plans:document", args=[document.pk])).status_code == 409


def test_anonymous_download_redirects_to_login(client, case, oncologist):
    document = documents.render_plan_document(approved_plan(case, oncologist), oncologist)
    response = client.get(reverse("plans:document", args=[document.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_nurse_may_open_a_verified_pdf_but_not_a_draft_or_unverified_pdf(client, case, oncologist, nurse):
    unverified = approved_plan(case, oncologist)
    unverified_document = documents.render_plan_document(unverified, oncologist)
    approved_document = documents.render_plan_document(verified(unverified), oncologist)
    draft_document = documents.render_plan_document(draft_plan(case, oncologist), oncologist)
    client.force_login(nurse)
    assert client.get(reverse("plans:document", args=[approved_document.pk])).status_code == 200
    assert client.get(reverse("plans:document", args=[draft_document.pk])).status_code == 404
    assert client.get(reverse("plans:document", args=[unverified_document.pk])).status_code == 404


def test_render_failure_keeps_the_approval_is_retried_with_backoff_and_shown(
    client, case, oncologist, monkeypatch, django_capture_on_commit_callbacks
):
    plan = draft_plan(case, oncologist)

    def broken_renderer(plan, printed_at=None, schedule=None):
        raise RuntimeError("fonts unavailable")

    monkeypatch.setattr("her2app.plans.documents.render_plan_pdf", broken_renderer)
    client.force_login(oncologist)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("plans:approve", args=[plan.pk]), {"password": password_of("oliver")})
    plan.refresh_from_db()
    assert plan.state == PlanState.APPROVED, "a PDF failure must not undo the signature"
    assert not PlanDocument.objects.filter(plan=plan).exists()
    job = RenderJob.objects.get(kind="plan", object_id=plan.pk)
    assert (job.status, job.attempts) == (RenderJob.Status.QUEUED, 1), "queued again for a later attempt"
    assert "fonts unavailable" in job.last_error, "administrators see why"
    page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "PDF being prepared. The last attempt failed (attempt 1 of 6)" in page
    assert "RuntimeError" not in page, "no internal error names on a clinician's page"

    monkeypatch.undo()
    with at(job.run_after):
        run_job(job.pk)
    assert PlanDocument.objects.filter(plan=plan, plan_state="approved").count() == 1
    job.refresh_from_db()
    assert (job.status, job.attempts, job.last_error) == (RenderJob.Status.DONE, 2, "")


def test_a_plan_over_the_page_budget_is_refused_with_a_reason_not_retried(
    client, case, oncologist, settings, django_capture_on_commit_callbacks
):
    settings.PLAN_PDF_MAX_PAGES = 1
    plan = draft_plan(case, oncologist)
    client.force_login(oncologist)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("plans:approve", args=[plan.pk]), {"password": password_of("oliver")})
    job = RenderJob.objects.get(kind="plan", object_id=plan.pk)
    assert (job.status, job.attempts, job.refused) == (RenderJob.Status.FAILED, 1, True)
    page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "The PDF could not be produced: The plan would print on" in page
    assert "more than the 1 pages allowed" in page
    assert not PlanDocument.objects.filter(plan=plan).exists()


def test_D9_D10_the_printed_dose_table_says_how_each_dose_is_given_and_names_the_drugs(oncologist):
    case = plannable_case(oncologist, mrn="MRN-TDXD")
    plan = approved_plan(case, oncologist, "trastuzumab-deruxtecan", override_reason="Board: ILD risk accepted")
    text = re.sub(r"-\s+", "-", pdf_text(render_plan_pdf(plan)))  # words split at a hyphen
    assert "Fam-trastuzumab deruxtecan-nxki (ENHERTU)" in text
    assert ("Do not substitute fam-trastuzumab deruxtecan-nxki (ENHERTU) for or with trastuzumab or "
            "ado-trastuzumab emtansine (KADCYLA)") in text
    assert "first over 90 minutes, later ones over 30 minutes if tolerated" in text
    assert "prophylactic antiemetics before each dose" in text
    assert not re.search(r"(?<!fam-)trastuzumab deruxtecan(?!-nxki)", text, re.I), "never shortened (D10)"


def test_D7_no_waste_for_the_multi_dose_vial_and_the_benzyl_alcohol_flag_on_paper(approved_pdf, oncologist):
    plain = _squash(" ".join(approved_pdf[1]))
    assert "multi-dose" in plain and "waste" not in plain
    flagged = plannable_case(oncologist, mrn="MRN-BA", benzyl_alcohol_hypersensitivity=True)
    text = pdf_text(render_plan_pdf(approved_plan(flagged, oncologist)))
    assert "Allergy Benzyl alcohol hypersensitivity" in text
    assert "waste 10 mg; the 420 mg vial is single-use for benzyl alcohol hypersensitivity" in text


def test_weekly_trastuzumab_footer_cannot_be_read_as_every_21_days(oncologist):
    case = plannable_case(oncologist, mrn="MRN-WEEKLY")
    plan = approved_plan(case, oncologist, "lapatinib-trastuzumab", override_reason="Tucatinib not available")
    text = pdf_text(render_plan_pdf(plan))
    footer = text.split("After cycle 6:")[1].split("Monitoring")[0]
    assert "trastuzumab 140 mg weekly (days 1, 8, 15)" in footer
    assert "lapatinib (TYKERB) 1000 mg once daily (days 1-21)" in footer
    assert "Same maintenance doses every 21 days" not in text
