"""The administration page's window of doses when the tablets of a cycle are not recorded (issue 15 review).

The plan: tucatinib + trastuzumab from 1 Dec 2026 (70 kg), 21-day cycles. Cycles 1 and 2 of trastuzumab were
given on their days and no tucatinib supply was recorded. The page lists every infusion of the CYCLES_AHEAD
cycles after the last one given, whatever the tablets' record says (D1: a cycle follows its infusions), and shows
each past cycle's supply as not recorded: neither counted as given nor silently dropped."""

from datetime import timedelta

import pytest
from django.urls import reverse

from conftest import password_of, today_is
from her2app.administration.models import Administration
from her2app.administration.schedule import CYCLES_AHEAD, plan_schedule
from her2app.plans import documents
from her2app.plans.as_given import schedule_as_given
from tests.web.administration.helpers import (
    TODAY,
    give,
    given_form,
    record_url,
    resolve_readiness,
)
from tests.internal_codes import pdf_text
from tests.web.plan_helpers import CYCLE_2, CYCLE_3, START

pytestmark = pytest.mark.django_db
IN_CYCLE_2 = START + timedelta(days=30)
IN_CYCLE_3 = CYCLE_3 + timedelta(days=2)  # cycle 3's trastuzumab is due, two days late


def _infusions_given_without_tablets(plan, nurse, checker, oncologist):
    give(plan, nurse, checker, oncologist, 1, START, START, dose="560")
    give(plan, nurse, checker, oncologist, 2, CYCLE_2, CYCLE_2)


def _section(page: str, heading: str) -> str:
    start = page.index(heading)
    return page[start:page.index("</table>", start)]


@pytest.mark.parametrize(("today", "not_recorded"), [(TODAY, [1]), (IN_CYCLE_2, [1]), (IN_CYCLE_3, [1, 2])])
def test_D1_infusions_of_the_next_cycles_are_listed_and_recordable_without_the_tablets_recorded(
        client, monkeypatch, plan, oncologist, nurse, second_nurse, today, not_recorded):
    today_is(monkeypatch, today)
    _infusions_given_without_tablets(plan, nurse, second_nurse, oncologist)
    client.force_login(nurse)
    page = client.get(reverse("administration:plan", args=[plan.pk])).content.decode()
    upcoming = _section(page, "Upcoming, from what was given")
    for cycle in range(3, 3 + CYCLES_AHEAD):
        assert f'id="dose-trastuzumab-{cycle}-1"' in upcoming
        assert record_url(plan, cycle=cycle) in upcoming, f"cycle {cycle}'s trastuzumab can be recorded"
    missing = _section(page, "Oral supply not recorded")
    for cycle in not_recorded:
        assert f'id="supply-not-recorded-tucatinib-{cycle}"' in missing
        assert reverse("administration:supply", args=[plan.pk, "tucatinib", cycle]) in missing
        assert f'id="dose-tucatinib-{cycle}-1"' not in upcoming, "a past cycle's tablets are not due now"
    assert "Supply not recorded" in missing


def test_D1_cycle_3_is_given_through_the_page_with_the_tablets_not_recorded(
        client, monkeypatch, plan, oncologist, nurse, second_nurse):
    today_is(monkeypatch, IN_CYCLE_3)
    _infusions_given_without_tablets(plan, nurse, second_nurse, oncologist)
    resolve_readiness(plan, IN_CYCLE_3, oncologist)
    client.force_login(nurse)
    response = client.post(record_url(plan, cycle=3),
                           given_form(second_nurse, password_of("nadia"), given_on=IN_CYCLE_3.isoformat(),
                                      dose_mg="420"))
    assert response.status_code == 302
    assert Administration.objects.get(cycle=3, status="given").scheduled_on == IN_CYCLE_3
    schedule = plan_schedule(plan, IN_CYCLE_3)
    assert [(item.dose.cycle, item.dose.date) for item in schedule.upcoming if item.dose.drug == "trastuzumab"] == [
        (4, IN_CYCLE_3 + timedelta(days=21)), (5, IN_CYCLE_3 + timedelta(days=42))]
    # cycle 3 started: its tablets are due within it; cycles 1 and 2 still ask for their record
    assert [supply.cycle for supply in schedule.reflow.supplies_not_recorded] == [1, 2]
    assert schedule.find("tucatinib", 3, 1).dose.date == IN_CYCLE_3


def test_D1_nurse_pages_and_pdf_agree_with_the_administration_page(client, monkeypatch, plan, oncologist, nurse,
                                                                   second_nurse):
    today_is(monkeypatch, IN_CYCLE_2)
    _infusions_given_without_tablets(plan, nurse, second_nurse, oncologist)
    page_infusions = [(item.dose.cycle, item.dose.date) for item in plan_schedule(plan, IN_CYCLE_2).upcoming
                      if item.dose.drug == "trastuzumab"]
    as_given = schedule_as_given(plan, IN_CYCLE_2)
    assert [(dose.cycle, dose.on) for dose in as_given.upcoming if dose.drug == "trastuzumab"][:CYCLES_AHEAD] == (
        page_infusions) == [(3, CYCLE_3), (4, CYCLE_3 + timedelta(days=21))]
    assert [(dose.cycle, dose.on) for dose in as_given.upcoming if dose.drug == "tucatinib"][0] == (2, IN_CYCLE_2)
    client.force_login(nurse)
    worklist = client.get(reverse("plans:nurse_worklist")).content.decode()
    assert "Tuesday 12 Jan 2027" in worklist and "cycle 3 day 1" in worklist
    nurse_page = client.get(reverse("plans:nurse_plan", args=[plan.pk])).content.decode()
    assert "Tucatinib (TUKYSA), cycle 1 (01 Dec 2026 to 21 Dec 2026): supply not recorded." in nurse_page
    text = pdf_text(documents.render_plan_document(plan, oncologist).read_bytes())
    assert "Tucatinib (TUKYSA), cycle 1 (01 Dec 2026 to 21 Dec 2026): supply not recorded." in text
    assert "C3 day 1 Trastuzumab IV Due Tue 12 Jan 2027 420 mg same" in text
    assert "C1 days 1-21 Tucatinib" not in text, "a supply not recorded is not printed as given or due"
