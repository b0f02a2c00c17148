"""The import journey in the browser: a coordinator starts a case from an EHR's
FHIR bundle, sees a refused bundle's message, then checks the pre-filled wizard
(every imported value marked with its source) and sends the case on; axe finds
no serious or critical violation on the pages of the journey."""

import json
import re

import pytest
from playwright.sync_api import Page, expect

from her2app.interop import fhir
from her2app.interop.views import engine_result_for
from tests.e2e.journey_helpers import assert_no_browser_errors, sign_in
from tests.e2e.test_accessibility import audit
from tests.web.board_fixtures import make_board_case

pytestmark = pytest.mark.e2e


@pytest.fixture
def ehr_file(coordinator, tmp_path):
    """An exported case (then removed, so the MRN is new) plus an allergy the planner does not use."""
    case = make_board_case(coordinator, mrn="EHR-5150", given="Nora", family="Vance")
    data = json.loads(fhir.build_case_bundle(case, None, engine_result_for(case)).model_dump_json())
    data["entry"].append({"resource": {"resourceType": "AllergyIntolerance", "id": "allergy-1",
                                       "patient": {"reference": data["entry"][0]["fullUrl"]}}})
    case.treatment_lines.all().delete()
    case.delete()
    case.patient.delete()
    path = tmp_path / "ehr-export.json"
    path.write_text(json.dumps(data))
    return path


def save_step(page: Page, heading: str) -> None:
    page.get_by_role("button", name=re.compile("Save and continue")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)


def test_coordinator_starts_a_case_from_an_ehr_bundle(page, live_server, coordinator, ehr_file, snap, console_errors):
    found = {}
    sign_in(page, live_server.url, "cora")
    page.get_by_role("link", name="Start from a FHIR bundle").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Start a case from a FHIR bundle")
    snap("import-page")
    audit(page, "import page", found)

    page.get_by_label("Or paste the bundle").fill('{"resourceType": "Patient"}')
    page.get_by_role("button", name="Import and open the wizard").click()
    expect(page.get_by_role("alert")).to_contain_text("This is a Patient, not a FHIR Bundle")
    expect(page.get_by_label("Or paste the bundle")).to_have_value('{"resourceType": "Patient"}')
    snap("import-refused")
    audit(page, "import refused", found)

    page.get_by_label("Or paste the bundle").fill("")
    page.get_by_label("FHIR bundle file (JSON)").set_input_files(str(ehr_file))
    page.get_by_role("button", name="Import and open the wizard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Patient")
    expect(page.get_by_label("MRN")).to_have_value("EHR-5150")
    expect(page.locator(".import-mark").first).to_contain_text("Imported from Patient/")
    page.get_by_text("1 item in the bundle imported").click()
    expect(page.get_by_text(re.compile("AllergyIntolerance/allergy-1: AllergyIntolerance is not something"))).to_be_visible()
    snap("wizard-patient-imported")
    audit(page, "wizard patient step with imported values", found)

    save_step(page, "Tumour and molecular profile")
    expect(page.get_by_label("HER2 IHC score")).to_have_value("3+")
    expect(page.get_by_role("region", name=re.compile("Imported from a FHIR bundle"))).to_contain_text(
        "HER2 IHC score: 3+")
    snap("wizard-tumour-imported")
    audit(page, "wizard tumour step with imported values", found)
    save_step(page, "Treatment history")
    expect(page.locator("#lines-0").get_by_label("Oxaliplatin")).to_be_checked()
    snap("wizard-history-imported")
    save_step(page, "Fitness and safety")
    expect(page.get_by_label("Weight (kg)")).to_have_value("70.0")
    snap("wizard-fitness-imported")
    save_step(page, "Review")
    expect(page.locator(".import-mark")).to_have_count(0)
    expect(page.get_by_role("article", name="Tucatinib (TUKYSA) + trastuzumab: Preferred")).to_be_visible()
    snap("wizard-review-after-import")
    page.get_by_role("link", name=re.compile("Patient")).first.click()
    expect(page.get_by_role("region", name=re.compile("Imported from a FHIR bundle"))).to_have_count(0)

    assert found == {}, "axe found serious/critical violations:\n" + "\n".join(
        f"- {label}: {'; '.join(items)}" for label, items in found.items())
    assert_no_browser_errors(console_errors, "400 /fhir/import/")
