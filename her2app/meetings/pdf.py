"""The printed agenda, or once signed off the minutes: WeasyPrint renders templates/pdf/agenda.html."""

from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

from her2app.meetings.models import Meeting
from her2app.meetings.proposal import agenda_entries


def render_meeting_pdf(meeting: Meeting) -> bytes:
    html = render_to_string(
        "pdf/agenda.html", {"meeting": meeting, "entries": agenda_entries(meeting), "printed_at": timezone.now()}
    )
    return HTML(string=html).write_pdf()
