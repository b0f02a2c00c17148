"""The whole clinical journey in a real browser, one role after another.

Screenshots of every page visited are saved under artifacts/screenshots/.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from conftest import password_of
from tests.internal_codes import assert_no_internal_codes, pdf_text
from tests.factories import make_case
from tests.web.test_wizard_review import FIT, HER2_POSITIVE, REFRACTORY
from tests.e2e.journey_helpers import (
    assert_no_browser_errors,
    continue_to,
    fill_fitness,
    fill_history,
    fill_patient,
    fill_tumour,
    sign_in,
)
from her2app.cases.models import combined_ras_fields

pytestmark = pytest.mark.e2e
ANTI_HER2 = ("Tucatinib (TUKYSA) + trastuzumab", "Pertuzumab (PERJETA) + trastuzumab",
             "Lapatinib (TYKERB) + trastuzumab", "Fam-trastuzumab deruxtecan-nxki (ENHERTU)",
             "Pertuzumab (PERJETA) + ado-trastuzumab emtansine (KADCYLA)")


def enter_case_through_wizard(page: Page, snap, mrn: str, ihc: str, percent: str, family: str) -> None:
    page.get_by_role("link", name="New case").first.click()
    fill_patient(page, mrn, "Helen", family, "1963-05-17", "female")
    snap("wizard-patient")
    continue_to(page, "Tumour and molecular profile")
    fill_tumour(page, ihc, percent)
    snap("wizard-tumour")
    continue_to(page, "Treatment history")
    fill_history(page)
    snap("wizard-history")
    continue_to(page, "Fitness and safety")
    fill_fitness(page)
    snap("wizard-fitness")
    continue_to(page, "Review")


def verify_as_pharmacist(page: Page, base: str, snap, family: str) -> None:
    sign_in(page, base, "phil")
    expect(page.get_by_role("heading", level=1)).to_have_text("Plans to verify")
    snap("pharmacist-worklist")
    page.get_by_role("row", name=re.compile(family)).get_by_role("link", name=re.compile("Check version")).click()
    expect(page.get_by_role("heading", name="Dose calculations and rounding")).to_be_visible()
    snap("pharmacist-verification")
    page.get_by_label("Your password (signature)").fill(password_of("phil"))
    page.get_by_role("button", name="Sign and verify").click()
    expect(page.get_by_text(re.compile("verified and released to the nurses"))).to_be_visible()


def test_coordinator_enters_oncologist_overrides_and_signs_nurse_opens_the_pdf(
    page, live_server, coordinator, oncologist, pharmacist, nurse, snap, console_errors
):
    base = live_server.url
    sign_in(page, base, "cora")
    snap("coordinator-case-list")
    enter_case_through_wizard(page, snap, "E2E-1001", "3+", "80", "Marsh")
    expect(page.get_by_role("article", name="Tucatinib (TUKYSA) + trastuzumab: Preferred")).to_be_visible()
    snap("wizard-review")
    page.get_by_role("button", name="Send to oncologist").click()
    expect(page.get_by_text("Ready for review").first).to_be_visible()
    snap("coordinator-case-detail")

    # The oncologist finds the case by MRN, picks the alternative (an override) and signs.
    sign_in(page, base, "oliver")
    page.get_by_label("MRN or name").fill("E2E-1001")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"[?&]q=E2E-1001"))
    snap("oncologist-search")
    page.get_by_role("link", name=re.compile("MARSH, Helen")).click()
    expect(page.get_by_role("link", name="Choose a regimen")).to_be_visible()
    snap("oncologist-case-detail")
    page.get_by_role("link", name="Choose a regimen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a regimen")
    page.get_by_role("radio", name="Pertuzumab (PERJETA) + trastuzumab", exact=True).check()
    page.get_by_role("button", name="Create draft plan").click()
    reason = page.get_by_label("Override reason")
    expect(page.locator(".field-error").first).to_contain_text("override reason is required")
    snap("oncologist-override-reason-required")
    reason.fill("Patient declines oral therapy; tumour board agreed on 25 Nov 2026.")
    page.get_by_role("button", name="Create draft plan").click()
    expect(page.get_by_text("Draft: not approved").first).to_be_visible()
    snap("oncologist-draft-plan")
    page.get_by_label("Password").fill("not-my-password")
    page.get_by_role("button", name="Sign and approve").click()
    expect(page.locator(".field-error").first).to_be_visible()
    page.get_by_label("Password").fill(password_of("oliver"))
    page.get_by_role("button", name="Sign and approve").click()
    expect(page.get_by_text(re.compile("approved and signed"))).to_be_visible()
    expect(page.get_by_text("Patient declines oral therapy").first).to_be_visible()
    snap("oncologist-approved-plan")

    # The pharmacist checks it and signs the verification; only then do nurses see it.
    verify_as_pharmacist(page, base, snap, "Marsh")

    # The nurse sees today's administration and opens the signed PDF.
    sign_in(page, base, "nina")
    expect(page.get_by_role("heading", level=1)).to_have_text("Upcoming infusions")
    today = page.locator("section.card", has=page.get_by_role("heading", name=re.compile("^Today")))
    expect(today.get_by_role("row", name=re.compile("Helen Marsh.*[Pp]ertuzumab"))).to_be_visible()
    snap("nurse-worklist")
    today.get_by_role("link", name=re.compile("Open plan")).first.click()
    expect(page.get_by_role("heading", name="Administration record")).to_be_visible()
    snap("nurse-plan")
    pdf_link = page.get_by_role("link", name=re.compile("open the PDF"))
    expect(pdf_link).to_have_attribute("target", "_blank")
    response = page.request.get(base + pdf_link.get_attribute("href"))  # shares the nurse's session cookie
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    text = pdf_text(response.body())
    assert "E2E-1001" in text and re.search("pertuzumab", text, re.I), text[:500]
    assert "DRAFT" not in text, "the nurse's PDF is the signed version"
    assert_no_internal_codes(text, "the signed plan PDF the nurse opens")
    assert "IV infusion over 60 minutes; observe 30 to 60 minutes" in text, "D9 on paper"
    assert_no_browser_errors(console_errors, "400 /plans/choose/", "400 /approve/")


def test_her2_equivocal_case_stops_at_complete_her2_testing(page, live_server, coordinator, snap, console_errors):
    # Entered as the wizard test enters a case, but IHC 2+ (70% of cells) and no ISH result yet.
    case = make_case(coordinator, mrn="E2E-2002", given_name="Helen", family_name="Quill", primary_site="left_colon",
                     profile={**HER2_POSITIVE, "her2_ihc": "2+", "her2_ihc_percent_cells": 70}, clinical=FIT,
                     lines=REFRACTORY)
    sign_in(page, live_server.url, "cora")
    page.goto(f"{live_server.url}/cases/{case.pk}/step/review/")
    expect(page.get_by_role("heading", name="Complete HER2 testing")).to_be_visible()
    expect(page.get_by_text("HER2 equivocal").first).to_be_visible()
    missing = page.locator("ul.missing-data")
    expect(missing.get_by_role("link")).to_have_text(["HER2 ISH result"])
    expect(page.get_by_role("heading", name=re.compile("^Doses:"))).to_have_count(0)
    expect(page.locator("article.option")).to_have_count(0)
    snap("equivocal-review")
    missing.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tumour and molecular profile")
    snap("equivocal-back-to-tumour")
    assert_no_browser_errors(console_errors)


def test_pregnant_patient_has_every_anti_her2_option_contraindicated(
    page, live_server, coordinator, oncologist, snap, console_errors
):
    case = make_case(
        coordinator, mrn="E2E-3003", given_name="Maya", family_name="Ortiz", status="ready",
        profile={"her2_ihc": "3+", "her2_ihc_percent_cells": 90, **combined_ras_fields("wild_type"), "braf_v600e": "wild_type",
                 "msi": "mss"},
        clinical={"weight_kg": 64, "lvef_percent": 61, "ecog": 0, "fit_for_intensive_therapy": True,
                  "pregnant": True, "breastfeeding": False, "ild_history": False, "hepatic_impairment": "none",
                  "strong_cyp2c8_inhibitor": False},
        lines=[["fluoropyrimidine", "oxaliplatin"], ["fluoropyrimidine", "irinotecan"]],
    )
    sign_in(page, live_server.url, "oliver")
    page.goto(f"{live_server.url}/cases/{case.pk}/step/review/")
    for regimen in ANTI_HER2:
        expect(page.get_by_role("article", name=f"{regimen}: Contraindicated")).to_be_visible()
    expect(page.locator(".warning-blocking", has_text=re.compile("pregnan", re.I)).first).to_be_visible()
    expect(page.locator("article.option .badge.tier-preferred")).to_have_count(0)
    snap("pregnant-review")
    page.goto(f"{live_server.url}/plans/choose/{case.pk}/")
    page.get_by_role("radio", name="Tucatinib (TUKYSA) + trastuzumab", exact=True).check()
    page.get_by_role("button", name="Create draft plan").click()
    expect(page.locator(".field-error").first).to_contain_text("override reason is required")
    snap("pregnant-choose-refused")
    assert_no_browser_errors(console_errors, "400 /plans/choose/")
