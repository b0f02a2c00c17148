"""No internal code (anti_her2, subsequent_line, trastuzumab_deruxtecan, lvef_percent, patient., None, a regimen
code) shows on a page or a PDF: every demo case's pages, plans of every regimen (including the S4 dose the
oncologist sets, the D7 benzyl alcohol flag and the weekly schedule), their PDFs, the nurse pages, the
meeting agenda and its PDF, the re-check page, and the FHIR export's text. The browser journeys check the
pages they visit the same way (tests/e2e/journey_helpers.py)."""

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

import regimens
from her2app.demo.management.commands.load_demo import DEMO_CASES
from her2app.demo.cases import demo_case_files, demo_identity, load_demo_cases
from her2app.cases.models import Case
from her2app.meetings import actions as meeting_actions
from her2app.meetings.models import Meeting
from her2app.cases.clinical import run_for_case
from her2app.plans import actions, documents
from her2app.plans.options import override_reasons
from her2app.plans.models import SIGNED_STATES, TreatmentPlan
from tests.web.test_meetings import printed_agenda
from tests.internal_codes import assert_no_internal_codes, html_text, internal_codes_in, pdf_text
from tests.web.plan_helpers import draft_plan

pytestmark = pytest.mark.django_db
START = date.today() + timedelta(days=1)
# (demo case, regimen) pairs made into signed plans: every regimen, and each 2026.2 change a plan shows.
PLANNED = [
    ("refractory_ras_wt_ihc3", "tucatinib-trastuzumab"),
    ("refractory_ras_wt_ihc3", "pertuzumab-trastuzumab"),
    ("refractory_ras_wt_ihc3", "lapatinib-trastuzumab"),  # weekly trastuzumab
    ("refractory_ras_wt_ihc3", "trastuzumab-deruxtecan"),
    ("refractory_ras_wt_ihc3", "pertuzumab-trastuzumab-emtansine"),
    ("severe_hepatic_refractory", "lapatinib-trastuzumab"),  # S4: the oncologist sets the lapatinib dose
    ("severe_hepatic_cyp2c8_refractory", "tucatinib-trastuzumab"),  # S4 + S5
    ("benzyl_alcohol_hypersensitivity_refractory", "pertuzumab-trastuzumab"),  # D7
    ("pregnancy_status_unknown_female", "tucatinib-trastuzumab"),  # S10
    ("prior_anti_her2_ihc1_ish_amplified", "trastuzumab-deruxtecan"),  # R7
]


def test_the_scanner_finds_each_kind_of_code():
    for text in ("Recommendation: anti_her2", "tier subsequent_line", "trastuzumab_deruxtecan 378 mg",
                 "missing lvef_percent", "patient.weight_kg", "Weight: None", "Regimen tucatinib-trastuzumab"):
        assert internal_codes_in(text), text
    for text in ("Fam-trastuzumab deruxtecan-nxki (ENHERTU)", "Tucatinib (TUKYSA) + trastuzumab",
                 "the oncologist sets and justifies the dose for this patient.", "No warnings."):
        assert not internal_codes_in(text), text
    assert internal_codes_in(html_text('<p aria-label="anti_her2">x</p>')), "read-aloud attributes are scanned"
    assert not internal_codes_in(html_text('<input name="lvef_percent" value="None">')), "form names are not read"


@pytest.fixture
def demo(coordinator) -> dict[str, Case]:
    load_demo_cases(DEMO_CASES, coordinator, lambda data: regimens.recommend(data)["recommendation"] == "anti_her2")
    names = {demo_identity(index)[0]: path.stem for index, path in enumerate(demo_case_files(DEMO_CASES))}
    return {names[case.patient.mrn]: case for case in Case.objects.select_related("patient")}


def page_text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return html_text(response.content.decode())


def test_every_demo_case_page_shows_no_engine_codes(client, oncologist, demo):
    client.force_login(oncologist)
    for name, case in demo.items():
        for url in (reverse("cases:detail", args=[case.pk]), reverse("cases:step", args=[case.pk, "review"]),
                    reverse("cases:step", args=[case.pk, "fitness"]), reverse("plans:choose", args=[case.pk]),
                    reverse("audit:case_history", args=[case.pk])):
            assert_no_internal_codes(page_text(client, url), f"{name}: {url}")


def _signed_plan(case: Case, regimen: str, oncologist: User) -> TreatmentPlan:
    _, engine_output = run_for_case(case).input_and_result()
    reason = "Tumour board decision" if override_reasons(engine_output, regimen) else ""
    plan = draft_plan(case, oncologist, regimen, reason, start=START)
    unset = [dose for dose in plan.doses.all() if dose.clinician_sets_dose]
    changes = [actions.DoseChange(dose, Decimal("750.0"), "Hepatology advice") for dose in unset]
    actions.update_draft(plan, oncologist, plan.edit_version, START, "", changes)
    plan, _ = actions.approve_plan(TreatmentPlan.objects.get(pk=plan.pk), oncologist)
    return plan


def test_plan_pages_pdfs_nurse_pages_agenda_recheck_and_fhir_show_no_engine_codes(
    client, oncologist, pharmacist, nurse, demo, django_capture_on_commit_callbacks
):
    plans = []
    for name, regimen in PLANNED:
        case = demo[name]
        for earlier in case.plans.filter(state__in=SIGNED_STATES):
            actions.cancel_plan(earlier, oncologist, "another regimen is scanned next")
        plans.append((f"{name} / {regimen}", _signed_plan(case, regimen, oncologist)))
    meeting = Meeting.objects.create(date=START, title="Colorectal MDT", created_by=oncologist)
    for case in demo.values():
        meeting_actions.add_case_to_agenda(meeting, case, question="Which option?")

    client.force_login(pharmacist)
    for where, plan in plans:
        if plan.is_approved:
            assert_no_internal_codes(page_text(client, reverse("plans:verify", args=[plan.pk])), f"verify {where}")
    client.force_login(oncologist)
    for where, plan in plans:
        assert_no_internal_codes(page_text(client, reverse("plans:detail", args=[plan.pk])), f"plan page {where}")
        document = documents.render_plan_document(plan, oncologist)
        assert_no_internal_codes(pdf_text(document.read_bytes()), f"plan PDF {where}")
        bundle = client.get(reverse("interop:case_bundle", args=[plan.case_id]) + f"?plan={plan.pk}")
        assert_no_internal_codes(" ".join(_fhir_texts(json.loads(bundle.content))), f"FHIR text {where}")
    draft = actions.revise_plan(plans[5][1], oncologist)
    assert_no_internal_codes(page_text(client, reverse("plans:edit", args=[draft.pk])), "draft edit page (S4)")
    assert_no_internal_codes(page_text(client, reverse("meetings:detail", args=[meeting.pk])), "meeting agenda")
    agenda_pdf = printed_agenda(client, meeting, django_capture_on_commit_callbacks).content
    assert_no_internal_codes(pdf_text(agenda_pdf), "agenda PDF")
    assert_no_internal_codes(page_text(client, reverse("recheck:list")), "re-check page")
    for _where, plan in plans:
        plan.refresh_from_db()
        if plan.is_approved:
            actions.verify_plan(plan, pharmacist)

    client.force_login(nurse)
    assert_no_internal_codes(page_text(client, reverse("plans:nurse_worklist")), "nurse worklist")
    for where, plan in plans:
        plan.refresh_from_db()
        if plan.is_verified:
            assert_no_internal_codes(page_text(client, reverse("plans:nurse_plan", args=[plan.pk])), f"nurse {where}")


def _fhir_texts(value) -> list[str]:
    """The human-readable text of a FHIR bundle: every `text`, `display`, `title`, `description` and note."""
    if isinstance(value, dict):
        found = [item for key, item in value.items() if key in ("text", "display", "title", "description")
                 and isinstance(item, str)]
        return found + [text for item in value.values() for text in _fhir_texts(item)]
    if isinstance(value, list):
        return [text for item in value for text in _fhir_texts(item)]
    return []
