"""A coordinator records a whole case in the browser and reads the engine's proposal."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.journey_helpers import continue_to, fill_fitness, fill_patient, fill_tumour, sign_in

pytestmark = pytest.mark.e2e


def test_coordinator_completes_the_wizard_and_sees_tucatinib_trastuzumab_with_560_mg_loading(
    page, live_server, coordinator, snap, console_errors
):
    sign_in(page, live_server.url, "cora")
    page.get_by_role("link", name="New case").first.click()

    fill_patient(page, "E2E-0070", "Helen", "Marsh", "1963-05-17", "female")
    snap("patient")
    continue_to(page, "Tumour and molecular profile")
    fill_tumour(page, "3+", "80")
    snap("tumour")
    continue_to(page, "Treatment history")

    line_one = page.locator("#lines-0")
    line_one.get_by_label("Fluoropyrimidine").check()
    line_one.get_by_label("Oxaliplatin").check()
    line_one.get_by_label("Best response").select_option("PR")
    page.get_by_role("button", name="Add line").click()
    line_two = page.locator("#lines-1")
    expect(line_two).to_be_visible()
    expect(line_one.get_by_label("Oxaliplatin")).to_be_checked()
    line_two.get_by_label("Fluoropyrimidine").check()
    line_two.get_by_label("Irinotecan").check()
    line_two.get_by_label("Reason stopped").select_option("progression")
    snap("history")
    continue_to(page, "Fitness and safety")

    expect(page).to_have_url(re.compile(r"/step/fitness/$"))
    fill_fitness(page)
    snap("fitness")
    continue_to(page, "Review")

    preferred = page.get_by_role("article", name="Tucatinib (TUKYSA) + trastuzumab: Preferred")
    expect(preferred).to_be_visible()
    doses = page.locator("table.dose-table")
    expect(page.get_by_role("heading", name=re.compile("Doses: Tucatinib \\(TUKYSA\\) \\+ trastuzumab"))).to_be_visible()
    loading = doses.locator("tr", has_text="Loading").filter(has_text="Trastuzumab")
    expect(loading).to_contain_text("560 mg")
    snap("review")

    page.get_by_role("button", name="Send to oncologist").click()
    expect(page).to_have_url(re.compile(r"/cases/\d+/$"))
    expect(page.get_by_text("Ready for review").first).to_be_visible()
    snap("detail")
    assert console_errors == []


def test_a_step_can_be_completed_with_the_keyboard_only(page, live_server, coordinator, console_errors):
    sign_in(page, live_server.url, "cora")
    page.goto(f"{live_server.url}/cases/new/")
    focused_ids = []
    for _ in range(30):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.id")
        focused_ids.append(focused)
        if focused == "id_mrn":
            break
    assert focused_ids[-1] == "id_mrn", f"Tab never reached the MRN field: {focused_ids}"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "the focused field shows a visible focus outline"

    page.keyboard.type("KB-0001")
    page.keyboard.press("Tab")
    page.keyboard.type("Kim")
    page.keyboard.press("Tab")
    page.keyboard.type("Keys")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_date_of_birth"
    page.keyboard.type("03041959")
    for _ in range(3):  # Chromium's date input has a Tab stop per date part
        if page.evaluate("document.activeElement.id") == "id_sex":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_sex"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").startswith("Save and continue")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Tumour and molecular profile")
    assert page.evaluate("document.activeElement.id") == "step-heading", "focus moves to the new step's heading"
    assert console_errors == []
