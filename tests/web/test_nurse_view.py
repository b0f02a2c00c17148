"""Nurses see approved plans only: the infusion worklist (today first) and the
plan with its administration table and a Print button."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from her2app.plans import actions, documents
from tests.web.plan_helpers import approved_plan, draft_plan, make_case, media_root  # noqa: F401


@pytest.fixture
def case(oncologist):
    return make_case(oncologist)


def _approved_starting(case, oncologist, start):
    plan = draft_plan(case, oncologist)
    actions.update_draft(plan, oncologist, plan.edit_version, start, "", [])
    plan, _ = actions.approve_plan(plan, oncologist)
    return plan


def test_worklist_lists_upcoming_infusions_today_first(client, case, oncologist, nurse):
    today = date.today()
    _approved_starting(case, oncologist, today)
    later_case = make_case(oncologist, mrn="MRN-7002")
    _approved_starting(later_case, oncologist, today + timedelta(days=3))
    draft_plan(make_case(oncologist, mrn="MRN-DRAFT"), oncologist)
    client.force_login(nurse)
    response = client.get(reverse("plans:nurse_worklist"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Today," in html
    assert html.index("MRN-7001") < html.index("MRN-7002"), "today's infusions come first"
    assert "560 mg" in html
    assert "MRN-DRAFT" not in html, "drafts never reach the nurses"


def test_nurse_plan_page_has_administration_table_and_print_button(client, case, oncologist, nurse):
    plan = approved_plan(case, oncologist)
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
    assert client.post(reverse("plans:approve", args=[plan.pk]), {"password": "nina-test-pass"}).status_code == 403


def test_worklist_is_for_nurses_only(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("plans:nurse_worklist")).status_code == 403


def test_nurse_lands_on_the_worklist_after_sign_in(client, nurse):
    client.post("/accounts/login/", {"username": "nina", "password": "nina-test-pass"})
    assert client.get("/").url == reverse("plans:nurse_worklist")


def test_all_approved_plans_are_listed_a_page_at_a_time(client, oncologist, nurse, monkeypatch):
    """The list below the worklist must not load every approved plan in the hospital at once."""
    from her2app.plans import views

    monkeypatch.setattr(views, "APPROVED_PLANS_PER_PAGE", 2)
    for number in range(3):
        _approved_starting(make_case(oncologist, mrn=f"MRN-80{number}"), oncologist, date.today())
    client.force_login(nurse)
    first = client.get(reverse("plans:nurse_worklist")).content.decode().split("All approved plans")[1]
    last = client.get(reverse("plans:nurse_worklist"), {"page": "2"}).content.decode().split("All approved plans")[1]
    assert first.count("<li>") == 2 and "Page 1 of 2 (3 plans)" in first
    assert last.count("<li>") == 1 and "Previous page" in last
    garbled = client.get(reverse("plans:nurse_worklist"), {"page": "x'"})
    assert garbled.status_code == 200 and "Page 1 of 2" in garbled.content.decode()
