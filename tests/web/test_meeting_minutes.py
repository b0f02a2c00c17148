"""Issue 16, item 9: a meeting's time, place, attendees and chair; per case a presenter, the
question and short summaries; coded outcomes the coordinator records in the minutes; the chair's
password sign-off, after which the minutes are read-only and print as a PDF."""

from datetime import date, time

import pytest
from django.urls import reverse

from conftest import password_of
from her2app.demo.meetings import create_demo_meeting
from her2app.meetings import actions
from her2app.meetings.models import Meeting, Outcome
from her2app.plans.models import FREE_TEXT_MAX_CHARS
from tests.internal_codes import pdf_text
from tests.web.board_fixtures import make_board_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(coordinator, oncologist) -> Meeting:
    return Meeting.objects.create(
        date=date(2026, 12, 3), starts_at=time(8, 0), title="Colorectal MDT", location="Room 4",
        chair=oncologist, present="Oliver Oncologist\nCora Coordinator", apologies="Nina Nurse", created_by=coordinator,
    )


def decided_meeting(meeting, coordinator) -> Meeting:
    item = actions.add_case_to_agenda(meeting, make_board_case(coordinator), "Which regimen?", presenter="Dr Registrar")
    actions.record_decision(item, coordinator, "Repeat HER2 ISH.", outcome=Outcome.FURTHER_TESTING)
    return meeting


def test_coordinator_schedules_time_place_attendees_and_chair(client, coordinator, oncologist):
    client.force_login(coordinator)
    response = client.post(reverse("meetings:new"), {
        "date": "2026-12-10", "starts_at": "08:30", "title": "Colorectal MDT", "location": "Room 4",
        "chair": oncologist.pk, "present": "Dr A\n\nDr B", "apologies": "Dr C",
    })
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert meeting.starts_at == time(8, 30) and meeting.chair == oncologist
    assert meeting.present_names == ["Dr A", "Dr B"] and meeting.apology_names == ["Dr C"]
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "08:30" in page and "Oliver Oncologist" in page and "Dr A, Dr B" in page and "Dr C" in page


def test_too_long_attendee_list_is_refused_next_to_the_field_and_kept(client, coordinator):
    client.force_login(coordinator)
    long_list = "Dr A\n" * (FREE_TEXT_MAX_CHARS // 4)
    response = client.post(reverse("meetings:new"), {"date": "2026-12-10", "title": "MDT", "present": long_list})
    page = response.content.decode()
    assert response.status_code == 200 and not Meeting.objects.exists()
    assert 'id="id_present_error"' in page and "your text is still here" in page
    assert long_list.strip() in page


def test_case_is_added_with_presenter_question_and_summaries(client, coordinator, meeting):
    case = make_board_case(coordinator)
    client.force_login(coordinator)
    client.post(reverse("meetings:agenda_add", args=[meeting.pk]), {
        "case": case.pk, "question": "Which anti-HER2 regimen?", "presenter": "Dr Registrar",
        "pathology_summary": "Liver biopsy: adenocarcinoma.", "imaging_summary": "CT: liver metastases.",
    })
    item = meeting.items.get()
    assert (item.presenter, item.pathology_summary, item.imaging_summary) == (
        "Dr Registrar", "Liver biopsy: adenocarcinoma.", "CT: liver metastases.")
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Dr Registrar" in page and "Liver biopsy: adenocarcinoma." in page and "CT: liver metastases." in page


def test_outcome_is_required_next_to_the_field_and_the_minutes_text_kept(client, coordinator, meeting):
    item = actions.add_case_to_agenda(meeting, make_board_case(coordinator))
    client.force_login(coordinator)
    response = client.post(reverse("meetings:decision", args=[meeting.pk, item.pk]), {"decision_text": "Kept words"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Choose the board&#x27;s outcome for this case." in page and "Kept words" in page
    item.refresh_from_db()
    assert not item.is_decided


def test_only_the_chair_signs_off(client, coordinator, meeting, example_user):
    decided_meeting(meeting, coordinator)
    client.force_login(example_user("olivia"))  # an oncologist, but not this meeting's chair
    assert client.post(reverse("meetings:sign_off", args=[meeting.pk]), {"password": password_of("olivia")}).status_code == 403
    with pytest.raises(actions.AgendaError, match="Only the meeting's chair"):
        actions.sign_off_minutes(meeting, coordinator)
    meeting.refresh_from_db()
    assert not meeting.is_signed_off


def test_a_wrong_password_does_not_sign_off(client, coordinator, oncologist, meeting):
    decided_meeting(meeting, coordinator)
    client.force_login(oncologist)
    response = client.post(reverse("meetings:sign_off", args=[meeting.pk]), {"password": "wrong"})
    assert response.status_code == 400
    assert "That password is not correct. The minutes were not signed off." in response.content.decode()
    meeting.refresh_from_db()
    assert not meeting.is_signed_off


def test_minutes_with_a_case_without_outcome_cannot_be_signed_off(client, coordinator, oncologist, meeting):
    actions.add_case_to_agenda(meeting, make_board_case(coordinator))
    client.force_login(oncologist)
    response = client.post(reverse("meetings:sign_off", args=[meeting.pk]), {"password": password_of("oliver")})
    assert response.status_code == 400
    assert "Record an outcome for every case before the minutes are signed off." in response.content.decode()
    meeting.refresh_from_db()
    assert not meeting.is_signed_off


def test_chair_signs_off_and_the_minutes_pdf_has_attendance_and_outcomes(
    client, coordinator, oncologist, meeting, django_capture_on_commit_callbacks
):
    decided_meeting(meeting, coordinator)
    client.force_login(oncologist)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("meetings:sign_off", args=[meeting.pk]), {"password": password_of("oliver")})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.signed_off_by == oncologist and meeting.is_signed_off

    pdf = client.get(reverse("meetings:agenda_pdf", args=[meeting.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert f"tumour-board-minutes-2026-12-03-{meeting.pk}-v1.pdf" in pdf["Content-Disposition"]
    text = pdf_text(pdf.content)
    assert "Colorectal MDT: minutes" in text and "08:00" in text and "Room 4" in text
    assert "Chair Oliver Oncologist" in text and "Apologies Nina Nurse" in text
    assert "Presenter Dr Registrar" in text and "Outcome: Further testing" in text and "Repeat HER2 ISH." in text
    assert "Minutes signed off by Oliver Oncologist (chair)" in text


def test_signed_off_minutes_are_read_only(client, coordinator, oncologist, meeting):
    decided_meeting(meeting, coordinator)
    actions.sign_off_minutes(meeting, oncologist)
    item = meeting.items.get()
    client.force_login(coordinator)
    refused = [
        client.post(reverse("meetings:decision", args=[meeting.pk, item.pk]),
                    {"outcome": "imaging", "decision_text": "Changed"}),
        client.post(reverse("meetings:edit", args=[meeting.pk]), {"date": "2026-12-04", "title": "Changed"}),
        client.post(reverse("meetings:agenda_add", args=[meeting.pk]), {"case": make_board_case(coordinator, mrn="MRN-LATE").pk}),
        client.post(reverse("meetings:agenda_move", args=[meeting.pk, item.pk]), {"direction": "up"}),
    ]
    assert all(response.status_code == 302 for response in refused)
    meeting.refresh_from_db()
    item.refresh_from_db()
    assert meeting.title == "Colorectal MDT" and meeting.items.count() == 1
    assert item.outcome == Outcome.FURTHER_TESTING and item.decision_text == "Repeat HER2 ISH."
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Signed off by Oliver Oncologist (chair)" in page
    assert "Record outcome" not in page and "Change outcome" not in page and "Add to agenda" not in page
    with pytest.raises(actions.AgendaError, match="signed off"):
        actions.record_decision(item, coordinator, "Changed", outcome=Outcome.IMAGING)


def test_demo_meeting_has_attendees_chair_presenters_and_outcomes(coordinator, oncologist):
    cases = [make_board_case(coordinator, mrn=f"MRN-D-{n}") for n in range(3)]
    meeting = create_demo_meeting(cases, coordinator, oncologist, today=date(2026, 12, 10))
    assert meeting.is_signed_off and meeting.chair == oncologist and meeting.present_names and meeting.apology_names
    assert all(item.presenter and item.outcome and item.is_decided for item in meeting.items.all())
    assert create_demo_meeting(cases, coordinator, oncologist) is None, "loading the demo twice adds no meeting"


def test_a_signed_off_meeting_without_its_minutes_pdf_is_found_by_the_sweep(coordinator, oncologist, meeting):
    from her2app.meetings.documents import RENDERER, store_agenda_document

    decided_meeting(meeting, coordinator)
    store_agenda_document(meeting, b"%PDF-agenda", coordinator)  # printed before the meeting
    assert RENDERER.missing() == [], "an agenda is printed only when someone asks"
    actions.sign_off_minutes(meeting, oncologist)
    assert RENDERER.missing() == [(meeting.pk, oncologist)]
    meeting.refresh_from_db()
    store_agenda_document(meeting, b"%PDF-minutes", oncologist)
    assert RENDERER.missing() == []
