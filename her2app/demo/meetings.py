"""A demo tumour-board meeting: time, place, attendees and a chair; per case a presenter,
the question and short summaries; an outcome recorded by the coordinator for each case;
minutes signed off by the chair (the worker renders the minutes PDF)."""

from datetime import date, time, timedelta

from her2app.cases.models import Case
from her2app.meetings import actions, documents
from her2app.meetings.models import Meeting, Outcome
from her2app.meetings.proposal import case_facts, engine_proposal

DEMO_MEETING_TITLE = "HER2 mCRC tumour board (demo)"
PRESENTERS = ("Dr Olivia Oncologist", "Dr Priya Registrar", "Dr Sam Surgeon")


def create_demo_meeting(cases: list[Case], coordinator, chair, today: date | None = None) -> Meeting | None:
    """Last week's meeting with up to three demo cases, its minutes signed off by `chair`."""
    if Meeting.objects.filter(title=DEMO_MEETING_TITLE).exists() or not cases:
        return None
    meeting = Meeting.objects.create(
        title=DEMO_MEETING_TITLE, date=(today or date.today()) - timedelta(days=7), starts_at=time(8, 0),
        location="Seminar room 2 and video call", chair=chair, created_by=coordinator,
        present="Dr Olivia Oncologist (chair)\nDr Priya Registrar\nDr Sam Surgeon\nDr Rita Radiologist\n"
        "Dr Paul Pathologist\nCharlie Coordinator (minutes)",
        apologies="Nina Nurse specialist",
    )
    for case, presenter in zip(cases[:3], PRESENTERS):
        facts = dict(case_facts(case))
        item = actions.add_case_to_agenda(
            meeting, case, "Which treatment does the board recommend?", presenter=presenter,
            pathology_summary=f"HER2: {facts.get('HER2', 'not recorded')}. "
            f"RAS / BRAF V600E / MSI: {facts.get('RAS / BRAF V600E / MSI', 'not recorded')}.",
            imaging_summary="Restaging CT chest, abdomen and pelvis reviewed at the meeting (demo text).",
        )
        _record_demo_outcome(item, coordinator)
    return actions.sign_off_minutes(meeting, chair)


def _record_demo_outcome(item, coordinator) -> None:
    plan = item.case.plans.exclude(state="cancelled").order_by("-version").first()
    if plan is not None:
        actions.record_decision(item, coordinator, f"Agreed: {plan.regimen_label}.", plan, Outcome.TREATMENT_PLAN)
    elif engine_proposal(item.case).missing_data:
        actions.record_decision(item, coordinator, "Complete the missing tests, then back to the board.",
                                outcome=Outcome.FURTHER_TESTING)
    else:
        actions.record_decision(item, coordinator, "Restage before deciding; back to the board with the CT.",
                                outcome=Outcome.IMAGING)


def request_demo_minutes(meeting: Meeting) -> None:
    documents.request_agenda(meeting, meeting.signed_off_by)
