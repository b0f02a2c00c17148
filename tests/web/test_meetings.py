"""Tumour-board meetings: the coordinator builds an ordered agenda, records
each coded outcome in the minutes, the chair signs them off, and the agenda prints as a PDF with each
case's summary and the engine's proposal."""

from datetime import date

import pytest
from django.urls import reverse

from her2app.cases.models import TreatmentLine
from her2app.meetings import actions
from her2app.meetings.models import AgendaItem, Meeting
from her2app.meetings.proposal import engine_proposal
from regimens import RULESET_VERSION
from tests.internal_codes import pdf_pages, pdf_text
from tests.web.board_fixtures import make_board_case, make_engine_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(coordinator) -> Meeting:
    return Meeting.objects.create(date=date(2026, 12, 3), title="Colorectal MDT", location="Room 4", created_by=coordinator)


def printed_agenda(client, meeting: Meeting, capture):
    """Ask for the agenda PDF (rendered in the background: here, as soon as the request commits) and open it."""
    with capture(execute=True):
        assert client.post(reverse("meetings:agenda_print", args=[meeting.pk])).status_code == 302
    return client.get(reverse("meetings:agenda_pdf", args=[meeting.pk]))


def agenda_order(meeting: Meeting) -> list[int]:
    return list(meeting.agenda().values_list("case_id", flat=True))


def post(client, user, name: str, *args, **data):
    client.force_login(user)
    return client.post(reverse(name, args=args), data)


# --- permissions --------------------------------------------------------------

@pytest.mark.parametrize("role, status", [("coordinator", 200), ("oncologist", 200), ("nurse", 403)])
def test_who_may_see_meetings(client, request, meeting, role, status, django_capture_on_commit_callbacks):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("meetings:list")).status_code == status
    assert client.get(reverse("meetings:detail", args=[meeting.pk])).status_code == status
    with django_capture_on_commit_callbacks(execute=True):
        printing = client.post(reverse("meetings:agenda_print", args=[meeting.pk]))
    assert printing.status_code == (302 if status == 200 else 403)
    assert client.get(reverse("meetings:agenda_pdf", args=[meeting.pk])).status_code == status


def test_anonymous_users_are_sent_to_login(client, meeting):
    response = client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_coordinator_creates_a_meeting(client, coordinator):
    response = post(client, coordinator, "meetings:new", date="2026-12-10", title="HER2 board", location="Video")
    created = Meeting.objects.get(title="HER2 board")
    assert response.status_code == 302 and response["Location"] == reverse("meetings:detail", args=[created.pk])
    assert created.created_by == coordinator and created.date == date(2026, 12, 10)


def test_meeting_without_a_date_shows_the_error_and_keeps_the_title(client, coordinator):
    response = post(client, coordinator, "meetings:new", date="", title="Kept title", location="Kept room")
    page = response.content.decode()
    assert response.status_code == 200 and not Meeting.objects.exists()
    assert 'class="field-error"' in page and "This field is required." in page
    assert 'value="Kept title"' in page and 'value="Kept room"' in page


def test_nurse_cannot_create_meetings_or_change_agendas(client, nurse, meeting, coordinator):
    case = make_board_case(coordinator)
    assert post(client, nurse, "meetings:new", date="2026-12-10", title="X").status_code == 403
    assert post(client, nurse, "meetings:agenda_add", meeting.pk, case=case.pk).status_code == 403
    assert not meeting.items.exists()


def test_coordinator_records_the_outcome_in_the_minutes(client, coordinator, meeting):
    item = actions.add_case_to_agenda(meeting, make_board_case(coordinator))
    response = post(client, coordinator, "meetings:decision", meeting.pk, item.pk, outcome="further_testing",
                    decision_text="Repeat HER2 IHC on the liver biopsy.")
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.outcome == "further_testing" and item.decided_by == coordinator
    assert item.decision_text == "Repeat HER2 IHC on the liver biopsy."


def test_nurse_cannot_record_an_outcome(client, nurse, coordinator, meeting):
    item = actions.add_case_to_agenda(meeting, make_board_case(coordinator))
    response = post(client, nurse, "meetings:decision", meeting.pk, item.pk, outcome="imaging", decision_text="CT")
    assert response.status_code == 403
    item.refresh_from_db()
    assert not item.is_decided


# --- agenda order ----------------------------------------------------------------

def test_cases_are_added_in_order_and_can_be_moved_and_removed(client, coordinator, meeting):
    first, second, third = (make_board_case(coordinator, mrn=f"MRN-O-{n}") for n in range(3))
    for case in (first, second, third):
        assert post(client, coordinator, "meetings:agenda_add", meeting.pk, case=case.pk).status_code == 302
    assert agenda_order(meeting) == [first.pk, second.pk, third.pk]

    third_item = meeting.items.get(case=third)
    post(client, coordinator, "meetings:agenda_move", meeting.pk, third_item.pk, direction="up")
    assert agenda_order(meeting) == [first.pk, third.pk, second.pk]

    first_item = meeting.items.get(case=first)
    post(client, coordinator, "meetings:agenda_move", meeting.pk, first_item.pk, direction="up")
    assert agenda_order(meeting) == [first.pk, third.pk, second.pk], "the first item cannot move further up"

    post(client, coordinator, "meetings:agenda_move", meeting.pk, first_item.pk, direction="down")
    assert agenda_order(meeting) == [third.pk, first.pk, second.pk]

    post(client, coordinator, "meetings:agenda_remove", meeting.pk, first_item.pk)
    assert agenda_order(meeting) == [third.pk, second.pk]
    assert list(meeting.agenda().values_list("position", flat=True)) == [1, 2], "positions close the gap"


def test_a_case_is_on_an_agenda_once_with_the_reason_next_to_the_field(client, coordinator, meeting):
    case = make_board_case(coordinator)
    actions.add_case_to_agenda(meeting, case)
    response = post(client, coordinator, "meetings:agenda_add", meeting.pk, case=case.pk, question="Kept question")
    page = response.content.decode()
    assert response.status_code == 400
    assert "Select a valid choice" in page, "a case already on the agenda is not offered again"
    assert 'value="Kept question"' in page
    assert meeting.items.count() == 1
    with pytest.raises(actions.AgendaError, match="already on this agenda"):
        actions.add_case_to_agenda(meeting, case)


def test_items_of_another_meeting_are_not_found(client, coordinator, meeting):
    other = Meeting.objects.create(date=date(2026, 12, 17), title="Other", created_by=coordinator)
    item = actions.add_case_to_agenda(other, make_board_case(coordinator))
    response = post(client, coordinator, "meetings:agenda_remove", meeting.pk, item.pk)
    assert response.status_code == 404
    assert AgendaItem.objects.filter(pk=item.pk).exists()


# --- decisions ---------------------------------------------------------------------

def test_oncologist_records_a_decision_linked_to_the_cases_plan(client, oncologist, meeting):
    case = make_board_case(oncologist)
    plan = make_engine_plan(case, oncologist)
    item = actions.add_case_to_agenda(meeting, case)
    response = post(client, oncologist, "meetings:decision", meeting.pk, item.pk, plan=plan.pk,
                    outcome="treatment_plan", decision_text="Agreed: tucatinib + trastuzumab.")
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.plan == plan and item.decided_by == oncologist and item.decided_at is not None
    assert item.decision_text == "Agreed: tucatinib + trastuzumab."
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "version 1, Tucatinib (TUKYSA) + trastuzumab</a> (draft)" in page and "Recorded by Oliver Oncologist" in page


def test_free_text_decision_without_a_plan(client, oncologist, meeting):
    item = actions.add_case_to_agenda(meeting, make_board_case(oncologist))
    post(client, oncologist, "meetings:decision", meeting.pk, item.pk, outcome="further_testing",
         decision_text="Repeat HER2 ISH on the liver biopsy.")
    item.refresh_from_db()
    assert item.plan is None and item.decision_text == "Repeat HER2 ISH on the liver biopsy."


def test_an_empty_decision_is_refused_next_to_the_field(client, oncologist, meeting):
    item = actions.add_case_to_agenda(meeting, make_board_case(oncologist))
    response = post(client, oncologist, "meetings:decision", meeting.pk, item.pk, outcome="imaging", decision_text="   ")
    assert response.status_code == 400
    assert "Write the decision, or link the plan the board agreed on." in response.content.decode()
    item.refresh_from_db()
    assert not item.is_decided


def test_a_plan_of_another_case_cannot_be_linked(client, oncologist, meeting):
    own_case = make_board_case(oncologist, mrn="MRN-1")
    make_engine_plan(own_case, oncologist)
    item = actions.add_case_to_agenda(meeting, own_case)
    foreign_plan = make_engine_plan(make_board_case(oncologist, mrn="MRN-2"), oncologist)
    response = post(client, oncologist, "meetings:decision", meeting.pk, item.pk, plan=foreign_plan.pk,
                    outcome="treatment_plan", decision_text="x")
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    item.refresh_from_db()
    assert not item.is_decided
    with pytest.raises(actions.AgendaError, match="another case"):
        actions.record_decision(item, oncologist, "x", foreign_plan)


def test_a_decided_case_stays_on_the_agenda(client, coordinator, oncologist, meeting):
    item = actions.add_case_to_agenda(meeting, make_board_case(coordinator))
    actions.record_decision(item, oncologist, "Best supportive care.")
    response = post(client, coordinator, "meetings:agenda_remove", meeting.pk, item.pk)
    assert response.status_code == 302
    assert AgendaItem.objects.filter(pk=item.pk).exists()
    page = client.get(response["Location"]).content.decode()
    assert "A case with a recorded decision cannot be removed from the agenda." in page


# --- printed agenda -----------------------------------------------------------------

def test_agenda_pdf_has_each_case_summary_and_the_engine_proposal(
    client, coordinator, oncologist, meeting, django_capture_on_commit_callbacks
):
    refractory = make_board_case(coordinator, mrn="MRN-P-1", given="Alma", family="Brightwater")
    untested = make_board_case(coordinator, mrn="MRN-P-2", given="Bruno", family="Castellan",
                               profile={"her2_ihc": "2+", "her2_ihc_percent_cells": None})
    actions.add_case_to_agenda(meeting, refractory, question="Which anti-HER2 regimen?")
    second = actions.add_case_to_agenda(meeting, untested)
    actions.record_decision(second, oncologist, "Request HER2 ISH.")

    client.force_login(coordinator)
    response = printed_agenda(client, meeting, django_capture_on_commit_callbacks)
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="tumour-board-agenda-2026-12-03-{meeting.pk}-v1.pdf"' in response["Content-Disposition"]
    text = pdf_text(response.content)

    assert "Colorectal MDT: agenda" in text and "Room 4" in text
    assert text.index("1. Case %d: Alma Brightwater" % refractory.pk) < text.index("2. Case %d: Bruno Castellan" % untested.pk)
    assert "Which anti-HER2 regimen?" in text
    assert "IHC 3+ in 60% of cells" in text
    assert "Line 1: Fluoropyrimidine (5-FU, capecitabine), Oxaliplatin, Irinotecan" in text
    assert f"Engine proposal (ruleset {RULESET_VERSION})" in text
    assert "Preferred option Tucatinib (TUKYSA) + trastuzumab" in text
    assert "Recommendation Complete HER2 testing" in text, "the IHC 2+ case needs ISH before anti-HER2 therapy"
    assert "Request HER2 ISH." in text and "Recorded by Oliver Oncologist" in text


def test_a_case_the_engine_cannot_assess_is_shown_with_the_reason_not_an_error(
    client, coordinator, meeting, django_capture_on_commit_callbacks
):
    contradictory = make_board_case(coordinator, profile={"her2_ish": "amplified", "her2_ish_ratio": "1.20"})
    actions.add_case_to_agenda(meeting, contradictory)
    client.force_login(coordinator)
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "The engine could not assess this case:" in page and "ish" in page
    pdf = printed_agenda(client, meeting, django_capture_on_commit_callbacks)
    text = " ".join(pdf_pages(pdf.content)[0].split())
    assert "Not assessable" in text


def test_coordinator_edits_meeting_details(client, coordinator, meeting):
    response = post(client, coordinator, "meetings:edit", meeting.pk, date="2026-12-04", title="Colorectal MDT (moved)",
                    location="Room 2")
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.date, meeting.title, meeting.location) == (date(2026, 12, 4), "Colorectal MDT (moved)", "Room 2")
    assert meeting.history.count() == 2, "the change is in the audit history"


def test_a_decision_recorded_after_the_page_was_loaded_still_blocks_removal(coordinator, oncologist, meeting):
    item = actions.add_case_to_agenda(meeting, make_board_case(coordinator))
    stale = AgendaItem.objects.get(pk=item.pk)  # what the coordinator's page saw: no decision
    actions.record_decision(item, oncologist, "Start tucatinib + trastuzumab.")
    with pytest.raises(actions.AgendaError, match="recorded decision"):
        actions.remove_item(stale)
    assert AgendaItem.objects.filter(pk=item.pk).exists()


def test_moving_an_item_that_was_just_removed_says_so(coordinator, meeting):
    item = actions.add_case_to_agenda(meeting, make_board_case(coordinator))
    actions.remove_item(item)
    with pytest.raises(actions.AgendaError, match="no longer on the agenda"):
        actions.move_item(item, "up")


def test_case_exchange_section_lists_agenda_entries_and_the_fhir_download(rf, coordinator, oncologist, meeting):
    from django.template.loader import render_to_string

    case = make_board_case(coordinator)
    item = actions.add_case_to_agenda(meeting, case)
    actions.record_decision(item, oncologist, "Agreed.")
    request = rf.get("/")
    request.user = coordinator
    html = render_to_string("interop/_case_exchange.html", {"case": case}, request=request)
    assert f'href="{reverse("meetings:detail", args=[meeting.pk])}#item-{item.pk}"' in html
    assert "Colorectal MDT, 03 Dec 2026</a>, item 1:" in html and "decision recorded" in html
    assert f'href="{reverse("interop:case_bundle", args=[case.pk])}" download' in html


def test_case_page_offers_the_fhir_download_and_shows_the_agenda(client, coordinator, meeting):
    case = make_board_case(coordinator)
    actions.add_case_to_agenda(meeting, case)
    client.force_login(coordinator)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Download FHIR R4 bundle (JSON)" in page
    assert "Colorectal MDT, 03 Dec 2026</a>, item 1:" in page


def test_agenda_footer_prints_quotes_ampersands_and_dashes_as_themselves(
    client, coordinator, django_capture_on_commit_callbacks
):
    """The footer is a CSS string: escaped for CSS, not JavaScript (which printed "u0022" and the like)."""
    title = 'Colo-rectal "HER2" board & friends; <b>it\'s</b> \\ 100%'
    meeting = Meeting.objects.create(date=date(2026, 12, 3), title=title, created_by=coordinator)
    client.force_login(coordinator)
    pdf = printed_agenda(client, meeting, django_capture_on_commit_callbacks)
    footer = [line for line in pdf_pages(pdf.content)[0].splitlines()
              if "confidential patient information" in line]
    assert footer == [f"{title}, 3 Dec 2026: confidential patient information Page 1 of 1"], footer
    assert "u0022" not in pdf.content.decode("latin-1")


def test_agenda_prints_the_best_option_the_summary_names_when_standard_therapy_comes_first(
    client, coordinator, meeting
):
    """Issue: the agenda printed "Best option: trastuzumab deruxtecan (subsequent line)" beside a summary that
    named tucatinib + trastuzumab. One definition of the best option (regimens.vocabulary) serves both."""
    case = make_board_case(coordinator)
    TreatmentLine.objects.filter(case=case).update(agents=["fluoropyrimidine", "oxaliplatin"])
    proposal = engine_proposal(case)
    assert proposal.recommendation == "standard_therapy_first"
    assert proposal.best_regimen == "tucatinib-trastuzumab" and proposal.best_tier == "subsequent_line"
    assert "tucatinib (TUKYSA) + trastuzumab is for a subsequent line" in proposal.summary
    actions.add_case_to_agenda(meeting, case)
    client.force_login(coordinator)
    page = " ".join(client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode().split())
    assert ("<dt>Best option</dt> <dd>Tucatinib (TUKYSA) + trastuzumab (subsequent line; no option is preferred)"
            "</dd>") in page
