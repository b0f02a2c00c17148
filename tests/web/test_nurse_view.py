"""Nurses see approved plans only: the infusion worklist (today first) and the
plan with its administration table and a Print button."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from conftest import password_of
from her2app.plans import actions, documents
from tests.factories import plannable_case
from tests.web.plan_helpers import draft_plan, released_plan, verified


@pytest.fixture
def case(oncologist):
    return plannable_case(oncologist)


def _approved_starting(case, oncologist, start):
    plan = draft_plan(case, oncologist)
    actions.update_draft(plan, oncologist, plan.edit_version, start, "", [])
    plan, _ = actions.approve_plan(plan, oncologist)
    return verified(plan)


def test_worklist_lists_upcoming_infusions_today_first(client, case, oncologist, nurse):
    today = date.today()
    _approved_starting(case, oncologist, today)
    later_case = plannable_case(oncologist, mrn="MRN-7002")
    _approved_starting(later_case, oncologist, today + timedelta(days=3))
    draft_plan(plannable_case(oncologist, mrn="MRN-DRAFT"), oncologist)
    client.force_login(nurse)
    response = client.get(reverse("plans:nurse_worklist"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Today," in html
    assert html.index("MRN-7001") < html.index("MRN-7002"), "today's infusions come first"
    assert "560 mg" in html
    assert "MRN-DRAFT" not in html, "drafts never reach the nurses"


def test_nurse_plan_page_has_administration_table_and_print_button(client, case, oncologist, nurse):
    plan = released_plan(case, oncologist)
    document = documents.render_plan_document(plan, oncologist)
    client.force_login(nurse)
    response = client.get(reverse("plans:nurse_plan", args=[plan.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Administration record" in html and "Nurse initials" in html
    assert "Print (open the PDF)" in html and reverse("plans:document", args=[document.pk]) in html


def test_nurse_cannot_see_drafts_or_the_oncologist_pages(client, case, oncologist, nurse):
    plan = draft_plan(case, oncologist)
    client.force_login(nurse)
    assert client.get(reverse("plans:nurse_plan", args=[plan.pk])).status_code == 404
    assert client.get(reverse("plans:detail", args=[plan.pk])).status_code == 403
    assert client.post(reverse("plans:approve", args=[plan.pk]), {"password": password_of("nina")}).status_code == 403


def test_worklist_is_for_nurses_only(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("plans:nurse_worklist")).status_code == 403


def test_nurse_lands_on_the_worklist_after_sign_in(client, nurse):
    client.post("/accounts/login/", {"username": "nina", "password": password_of("nina")})
    assert client.get("/").url == reverse("plans:nurse_worklist")


def test_all_released_plans_are_listed_a_page_at_a_time(client, oncologist, nurse, monkeypatch):
    """The list below the worklist must not load every released plan in the hospital at once."""
    from her2app.plans import nurse as nurse_pages

    monkeypatch.setattr(nurse_pages, "RELEASED_PLANS_PER_PAGE", 2)
    for number in range(3):
        _approved_starting(plannable_case(oncologist, mrn=f"MRN-80{number}"), oncologist, date.today())
    client.force_login(nurse)
    first = client.get(reverse("plans:nurse_worklist")).content.decode().split("All released plans")[1]
    last = client.get(reverse("plans:nurse_worklist"), {"page": "2"}).content.decode().split("All released plans")[1]
    assert first.count("<li>") == 2 and "Page 1 of 2 (3 plans)" in first
    assert last.count("<li>") == 1 and "Previous page" in last
    garbled = client.get(reverse("plans:nurse_worklist"), {"page": "x'"})
    assert garbled.status_code == 200 and "Page 1 of 2" in garbled.content.decode()


def test_a_plan_whose_calendar_lacks_keys_does_not_break_the_worklist(client, case, oncologist, nurse):
    """A damaged or hand-made calendar (e.g. events without 'cycle') is reported, never a 500 for every nurse."""
    today = date.today()
    good = _approved_starting(case, oncologist, today)
    broken = _approved_starting(plannable_case(oncologist, mrn="MRN-BROKEN"), oncologist, today)
    events = [{"date": today.isoformat(), "drug": "trastuzumab"}, {"cycle": 1}, "not an event",
              {**broken.calendar[0], "date": "31/12/2026"}, broken.calendar[0]]
    type(broken).objects.filter(pk=broken.pk).update(calendar=events)  # bypasses the actions, as a bad import would
    client.force_login(nurse)

    response = client.get(reverse("plans:nurse_worklist"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Part of the calendar of these plans could not be read" in page
    assert page.count("MRN-BROKEN") >= 2, "listed as unreadable and with its one readable infusion"
    assert reverse("plans:nurse_plan", args=[good.pk]) in page
    assert client.get(reverse("plans:nurse_plan", args=[broken.pk])).status_code == 200


def test_not_yours_to_see_answers_exactly_like_does_not_exist(client, case, oncologist, nurse):
    draft = draft_plan(case, oncologist)
    draft_document = documents.render_plan_document(draft, oncologist)
    client.force_login(nurse)
    hidden_plan = client.get(reverse("plans:nurse_plan", args=[draft.pk]))
    missing_plan = client.get(reverse("plans:nurse_plan", args=[draft.pk + 1000]))
    hidden_pdf = client.get(reverse("plans:document", args=[draft_document.pk]))
    missing_pdf = client.get(reverse("plans:document", args=[draft_document.pk + 1000]))
    assert [r.status_code for r in (hidden_plan, missing_plan, hidden_pdf, missing_pdf)] == [404] * 4
    assert without_tokens(hidden_plan) == without_tokens(missing_plan)
    assert without_tokens(hidden_pdf) == without_tokens(missing_pdf)


def without_tokens(response) -> bytes:
    return re.sub(rb'"X-CSRFToken": "[^"]*"|name="csrfmiddlewaretoken" value="[^"]*"', b"", response.content)


def test_nurse_is_told_the_pdf_is_being_prepared_and_then_that_it_failed(client, case, oncologist, nurse,
                                                                        settings):
    from her2app.rendering.models import RenderJob

    plan = _approved_starting(case, oncologist, date.today())  # its PDF job waits: nothing ran it
    client.force_login(nurse)
    page = client.get(reverse("plans:nurse_plan", args=[plan.pk])).content.decode()
    assert "PDF being prepared" in page and "Print (open the PDF)" not in page
    worklist = client.get(reverse("plans:nurse_worklist")).content.decode()
    assert "No PDF yet: being prepared" in worklist

    RenderJob.objects.filter(object_id=plan.pk).update(status=RenderJob.Status.FAILED, attempts=6,
                                                       last_error="OSError: disk full")
    page = client.get(reverse("plans:nurse_plan", args=[plan.pk])).content.decode()
    assert "The PDF could not be produced after 6 attempts" in page
    assert "do not print this screen instead" in page and "OSError" not in page
    assert "No PDF: it could not be produced" in client.get(reverse("plans:nurse_worklist")).content.decode()


def test_worklist_shows_each_patients_date_of_birth(client, case, oncologist, nurse):
    """Issue 16: a second identifier beside name and MRN (the patient was born 9 Mar 1961)."""
    _approved_starting(case, oncologist, date.today())
    client.force_login(nurse)
    html = client.get(reverse("plans:nurse_worklist")).content.decode()
    assert '<th scope="col">Date of birth</th>' in html
    row = re.search(r"<tr><td>Grace Hopper</td>(.*?)</tr>", html, re.S).group(1)
    assert "9 Mar 1961" in row
    assert "born 9 Mar 1961, MRN MRN-7001" in html
