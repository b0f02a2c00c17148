"""The administration record in the browser (issue 15), every step through the pages: a verified tucatinib +
trastuzumab plan (70 kg) whose cycle 1 was given three weeks ago, so cycle 2 is due today. The nurse weighs the
patient (80 kg) and sees the red weight line on today's administration; the oncologist overrides it with a
reason; the nurse gives the dose with a second nurse's check (a password); the nurse records the next cycle as
delayed by 9 days; the re-flowed schedule proposes the D8 trastuzumab re-load, the oncologist confirms it, and
the nurse's page shows the confirmed re-load and the moved cycle dates. Every new page is audited by axe, and
the delay and the confirmation are done with the keyboard alone."""

from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import named_example_user, password_of
from her2app.administration.models import Administration, ReloadConfirmation
from her2app.monitoring.models import Kind, PregnancyStatus
from her2app.monitoring.readiness import day_readiness, record_decision
from her2app.plans import actions
from tests.e2e.journey_helpers import (
    assert_no_browser_errors, expect_weight_line_red, sign_in,
)
from tests.e2e.test_accessibility import IS_FIELD, audit, press_button, tab_to
from tests.factories import plannable_case as make_case
from tests.web.administration.helpers import add_measurement
from tests.web.plan_helpers import draft_plan, verified

pytestmark = pytest.mark.e2e

DOSING_WEIGHT_KG = 70
MAINTENANCE_MG = 6 * DOSING_WEIGHT_KG  # D3: trastuzumab 6 mg/kg every 3 weeks after the loading dose
RELOAD_MG = 8 * DOSING_WEIGHT_KG  # D8: more than 1 week late on the 3-weekly schedule, re-load with 8 mg/kg
DELAY_DAYS = 9


def shown(day: date) -> str:
    """A date as the administration page shows it ("D j M Y")."""
    return f"{day:%a} {day.day} {day:%b %Y}"


@pytest.fixture
def plan_due_today(oncologist, nurse):
    """Cycle 1 was given on its day, three weeks ago, at the dosing weight; cycle 2 is due today."""
    today = timezone.localdate()
    start = today - timedelta(days=21)
    draft = draft_plan(make_case(oncologist, weight_kg=str(DOSING_WEIGHT_KG)), oncologist)
    actions.update_draft(draft, oncologist, draft.edit_version, start, "", [])
    plan = verified(actions.approve_plan(draft, oncologist)[0])
    assert plan.engine_input["patient"]["weight_kg"] == DOSING_WEIGHT_KG  # the weight the doses come from
    for kind, value, on in ((Kind.WEIGHT, DOSING_WEIGHT_KG, start - timedelta(days=2)),
                            (Kind.LVEF, 60, start - timedelta(days=14)),
                            (Kind.ALT, 24, today - timedelta(days=3)),
                            (Kind.AST, 22, today - timedelta(days=3)),
                            (Kind.BILIRUBIN, 9, today - timedelta(days=3))):
        add_measurement(plan.case, kind, value, on, oncologist)
    PregnancyStatus.objects.create(case=plan.case, basis="test", pregnant=False, measured_on=start - timedelta(days=1),
                                   recorded_by=oncologist)
    second = named_example_user("nadia")
    readiness = day_readiness(plan, start)
    for checked in readiness.lines:
        if checked.blocks_given:
            record_decision(readiness, checked, oncologist=oncologist, reason="Reviewed", recorded_by=oncologist)
    Administration.objects.create(plan=plan, drug="trastuzumab", cycle=1, day=1, scheduled_on=start, status="given",
                                  given_on=start, dose_mg=Decimal(RELOAD_MG), started_at=time(9),
                                  ended_at=time(10, 30), batch="LOT-C1", recorded_by=nurse, checked_by=second)
    return plan


def open_administration_record(page: Page, base: str, plan) -> None:
    """The nurse's way in: the worklist, the plan, its administration record."""
    page.goto(f"{base}/plans/nurse/")
    page.get_by_role("link", name=plan.case.patient.full_name).first.click()
    page.get_by_role("link", name="Administration record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Administration record")


def test_nurse_gives_todays_dose_then_a_nine_day_delay_brings_the_confirmed_d8_reload(
        page, live_server, plan_due_today, nurse, oncologist, snap, console_errors):
    base, found, plan = live_server.url, {}, plan_due_today
    today = timezone.localdate()
    next_due, delayed_to = today + timedelta(days=21), today + timedelta(days=21 + DELAY_DAYS)
    todays = page.locator("#dose-trastuzumab-2-1")
    next_cycle = page.locator("#dose-trastuzumab-3-1")

    # The nurse weighs the patient: 80 kg, more than 10% above the 70 kg the doses were calculated from.
    sign_in(page, base, "nina")
    open_administration_record(page, base, plan)
    page.get_by_role("link", name="Measurements").first.click()
    page.locator("#series-weight").get_by_label("Weight (kg)").fill("80")
    page.locator("#series-weight").get_by_role("button", name="Save").click()
    expect(page.locator("#series-weight")).to_contain_text("80 kg")
    snap("weight recorded")

    # Today's administration: the red weight line, on the nurse's page.
    open_administration_record(page, base, plan)
    expect(todays).to_contain_text(f"Today {shown(today)}")
    expect(todays).to_contain_text(f"{MAINTENANCE_MG} mg")
    snap("administration record, today due")
    audit(page, "administration plan", found)
    todays.get_by_role("link", name="Record").click()
    weight_line = expect_weight_line_red(page, "80 kg")
    expect(weight_line).to_contain_text("14.29% above the 70 kg the doses were calculated from, more than 10%")
    snap("today, red weight line")
    audit(page, "administration record, not ready", found)

    # The oncologist overrides the weight line with a reason and gives the go-ahead the liver tests ask for.
    sign_in(page, base, "oliver")
    page.goto(f"{base}/plans/{plan.pk}/")
    page.get_by_role("link", name="Readiness (\"OK to treat\") for each day").click()
    page.get_by_role("link", name=shown(today)).click()
    weight_card = page.locator(".readiness-line", has_text="Weight")
    weight_card.get_by_label("Reason for the override").fill("Oedema; dry weight unchanged, doses stand.")
    weight_card.get_by_role("button", name="Record the override").click()
    expect(weight_card).to_contain_text("Resolved: Override")
    expect(weight_card).to_contain_text("Oedema; dry weight unchanged, doses stand.")
    while page.get_by_role("button", name="Record the go-ahead").count():
        page.get_by_role("button", name="Record the go-ahead").first.click()
    expect(page.locator(".readiness-summary")).to_contain_text("Ready")
    snap("readiness, overridden")

    # The nurse gives today's dose; a wrong password for the second nurse keeps everything typed.
    sign_in(page, base, "nina")
    open_administration_record(page, base, plan)
    todays.get_by_role("link", name="Record").click()
    expect(page.locator(".readiness-summary")).to_contain_text("Ready")
    expect(page.locator(".readiness-line", has_text="Weight")).to_contain_text("Resolved: Override")
    expect(page.get_by_label("Given", exact=True)).to_be_checked()
    expect(page.get_by_label("Actual dose (mg)")).to_have_value(f"{MAINTENANCE_MG}.0")
    page.get_by_label("Start time").fill("09:10")
    page.get_by_label("End time").fill("09:40")
    page.get_by_label("Batch or lot number").fill("LOT-C2-7731")
    page.get_by_label("Infusion reaction").select_option(label="No reaction")
    page.get_by_label("Second nurse (independent check)").select_option(label="Nadia Second")
    page.get_by_label("Second nurse's password").fill("wrong-password")
    page.get_by_role("button", name="Record").click()
    expect(page.locator(".field-error").first).to_contain_text("password is not correct")
    expect(page.get_by_label("Batch or lot number")).to_have_value("LOT-C2-7731")
    expect(page.get_by_label("Start time")).to_have_value("09:10")
    audit(page, "administration record with an error", found)
    page.get_by_label("Second nurse's password").fill(password_of("nadia"))
    page.get_by_role("button", name="Record").click()
    given_row = page.locator("#recorded tr", has_text="2 / 1")
    for value in (f"{MAINTENANCE_MG} mg", "LOT-C2-7731", "09:10–09:40", "No reaction", "Nadia Second"):
        expect(given_row).to_contain_text(value)
    expect(next_cycle).to_contain_text(shown(next_due))
    snap("given today")
    audit(page, "administration plan after giving", found)

    # The next cycle is delayed 9 days, recorded with the keyboard alone.
    next_cycle.get_by_role("link", name="Record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Trastuzumab, cycle 3 day 1")
    tab_to(page, IS_FIELD, "#id_status_0")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("Delayed", exact=True)).to_be_checked()
    tab_to(page, IS_FIELD, "#id_reason")
    page.keyboard.type("Patient away; agreed new date with the oncologist.")
    tab_to(page, IS_FIELD, "#id_delayed_until")
    page.locator("#id_delayed_until").fill(delayed_to.isoformat())  # a date input's parts are typed per locale
    snap("next cycle, delay entered")
    press_button(page, "Record")
    expect(page.locator(".messages")).to_contain_text("Trastuzumab cycle 3 day 1 recorded.")
    delayed_row = page.locator("#recorded tr", has_text="3 / 1")
    expect(delayed_row).to_contain_text(f"Delayed until {delayed_to.day} {delayed_to:%b %Y}")
    expect(delayed_row).to_contain_text("Patient away")
    expect(delayed_row).not_to_contain_text("No reaction")  # nothing was infused
    expect(next_cycle).to_contain_text(shown(delayed_to))
    expect(next_cycle).to_contain_text(f"{DELAY_DAYS} days late")
    expect(next_cycle).to_contain_text(f"{RELOAD_MG} mg (re-load)")
    expect(next_cycle).to_contain_text("More than 1 week late: re-load with 8 mg/kg")
    expect(next_cycle).to_contain_text("Awaits the oncologist's confirmation")
    snap("re-load proposed")

    # The oncologist confirms the proposed re-load (keyboard).
    sign_in(page, base, "oliver")
    page.goto(f"{base}/plans/{plan.pk}/")
    page.get_by_role("link", name="Administration record").click()
    expect(next_cycle).to_contain_text("Awaits the oncologist's confirmation")
    press_button(page, "Confirm re-load")
    expect(next_cycle).to_contain_text("Re-load confirmed by Oliver")
    snap("re-load confirmed")

    # The nurse's page: the confirmed re-load on the moved date, the cycles after it moved too.
    sign_in(page, base, "nina")
    open_administration_record(page, base, plan)
    expect(next_cycle).to_contain_text(f"{shown(delayed_to)} (planned {next_due.day} {next_due:%b}; "
                                       f"{DELAY_DAYS} days late)")
    expect(next_cycle).to_contain_text(f"{RELOAD_MG} mg (re-load)")
    expect(next_cycle).to_contain_text("Re-load confirmed")
    tablets = page.locator("#dose-tucatinib-3-1")  # the whole cycle moves: its tablets start with the re-load
    expect(tablets).to_contain_text(f"{shown(delayed_to)} (planned {next_due.day} {next_due:%b})")
    expect(tablets).to_contain_text(f"Cycle 3 starts {DELAY_DAYS} days late, on {delayed_to:%d %b %Y}")
    snap("nurse sees the confirmed re-load")
    audit(page, "administration plan, re-load confirmed", found)
    next_cycle.get_by_role("link", name="Record").click()
    expect(page.get_by_text("Re-load confirmed by Oliver Oncologist")).to_be_visible()
    expect(page.locator(".readiness-summary")).to_contain_text(  # readiness is judged on the re-flowed date
        f"of the day it is due, {delayed_to.day} {delayed_to:%b %Y}")
    expect(page.get_by_label("Actual dose (mg)")).to_have_value(f"{RELOAD_MG}.0")
    snap("next cycle, re-load to give")

    given = Administration.objects.get(plan=plan, cycle=2, drug="trastuzumab", status="given")
    assert (given.dose_mg, given.batch, given.reaction_grade, given.checked_by.username, given.recorded_by) == (
        MAINTENANCE_MG, "LOT-C2-7731", Administration.Reaction.NONE, "nadia", nurse)
    delayed = Administration.objects.get(plan=plan, cycle=3, drug="trastuzumab")
    assert (delayed.status, delayed.delayed_until, delayed.dose_mg, delayed.checked_by) == (
        "delayed", delayed_to, None, None)
    confirmation = ReloadConfirmation.objects.get(plan=plan, drug="trastuzumab", cycle=3, day=1)
    assert (confirmation.dose_mg, confirmation.oncologist) == (RELOAD_MG, oncologist)
    assert found == {}, "axe found serious/critical violations:\n" + "\n".join(
        f"- {label}: {'; '.join(items)}" for label, items in found.items())
    assert_no_browser_errors(console_errors, "400 /administration/")
