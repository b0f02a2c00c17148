"""Issue 16, item 9 in a browser: the coordinator schedules a tumour-board meeting (time, place,
attendees, chair), adds a case with its presenter, question and summaries, records the outcome during
the meeting; the chair signs the minutes off with their password and the minutes PDF opens.
Every new page state is audited with axe (0 serious or critical violations)."""

import pytest
from playwright.sync_api import Page, expect

from conftest import password_of
from her2app.meetings.models import Meeting
from tests.e2e.journey_helpers import sign_in
from tests.e2e.test_accessibility import audit
from tests.web.board_fixtures import make_board_case

pytestmark = pytest.mark.e2e


def test_coordinator_records_minutes_and_the_chair_signs_them_off(
    page: Page, live_server, coordinator, oncologist, snap
):
    case = make_board_case(coordinator)
    base, found = live_server.url, {}

    sign_in(page, base, "cora")
    page.goto(f"{base}/meetings/new/")
    page.get_by_label("Title").fill("Colorectal MDT")
    page.get_by_label("Present").fill("Dr A\n" * 1001)  # over the 4000-character bound
    page.get_by_role("button", name="Create meeting").click()
    expect(page.locator("#id_present_error")).to_contain_text("your text is still here")
    snap("meeting-form-errors")
    audit(page, "meeting form with errors", found)

    page.get_by_label("Date").fill("2026-12-10")
    page.get_by_label("Start time").fill("08:30")
    page.get_by_label("Location").fill("Seminar room 2")
    page.get_by_label("Chair").select_option(label="Oliver Oncologist")
    page.get_by_label("Present").fill("Oliver Oncologist\nCora Coordinator\nDr Rita Radiologist")
    page.get_by_label("Apologies").fill("Nina Nurse")
    page.get_by_role("button", name="Create meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Colorectal MDT")

    page.locator("#id_case").select_option(value=str(case.pk))
    page.get_by_label("Question for the board").fill("Which anti-HER2 regimen?")
    page.get_by_label("Presenter").fill("Dr Priya Registrar")
    page.get_by_label("Pathology summary").fill("Liver biopsy: adenocarcinoma, HER2 IHC 3+.")
    page.get_by_label("Imaging summary").fill("CT: progressive liver metastases.")
    page.get_by_role("button", name="Add to agenda").click()
    expect(page.get_by_text("Dr Priya Registrar")).to_be_visible()
    expect(page.get_by_text("Oliver Oncologist, Cora Coordinator, Dr Rita Radiologist")).to_be_visible()
    snap("meeting-with-attendance-and-case")
    audit(page, "meeting page with attendance and case details", found)

    page.get_by_role("link", name=f"Record outcome for case {case.pk}").click()
    page.get_by_label("Minutes").fill("Agreed: start tucatinib + trastuzumab.")
    page.get_by_role("button", name="Record outcome").click()
    expect(page.get_by_text("Choose the board's outcome for this case.").first).to_be_visible()
    expect(page.get_by_label("Minutes")).to_have_value("Agreed: start tucatinib + trastuzumab.")
    snap("outcome-form-errors")
    audit(page, "outcome form with errors", found)
    page.get_by_label("Treatment plan", exact=True).check()
    page.get_by_role("button", name="Record outcome").click()
    expect(page.get_by_text("Outcome: Treatment plan")).to_be_visible()

    sign_in(page, base, "oliver")
    meeting = Meeting.objects.get()
    page.goto(f"{base}/meetings/{meeting.pk}/")
    page.get_by_role("link", name="Sign off the minutes").click()
    page.get_by_label("Your password (signature)").fill("not-my-password")
    page.get_by_role("button", name="Sign off the minutes").click()
    expect(page.get_by_text("That password is not correct. The minutes were not signed off.").first).to_be_visible()
    snap("sign-off-errors")
    audit(page, "sign-off form with errors", found)
    page.get_by_label("Your password (signature)").fill(password_of("oliver"))
    page.get_by_role("button", name="Sign off the minutes").click()
    expect(page.get_by_text("Signed off by Oliver Oncologist (chair)")).to_be_visible()
    expect(page.get_by_role("link", name="Record outcome")).to_have_count(0)  # read-only
    snap("minutes-signed-off")
    audit(page, "signed-off meeting", found)

    with page.expect_popup() as popup:
        page.get_by_role("link", name="signed-off minutes").click()
    pdf = page.request.get(popup.value.url)
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")
    snap("minutes-pdf").with_name("minutes.pdf").write_bytes(pdf.body())  # kept beside the screenshots
    assert found == {}, found
