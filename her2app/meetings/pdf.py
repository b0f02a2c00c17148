"""The printed agenda, or once signed off the minutes: WeasyPrint renders templates/pdf/agenda.html."""

from django.template.loader import render_to_string
from django.utils import timezone

from her2app.meetings.models import Meeting
from her2app.meetings.proposal import agenda_entries
from her2app.rendering.fonts import font_config


def render_meeting_pdf(meeting: Meeting) -> bytes:
    from weasyprint import HTML  # on the first print, not at start-up (her2app/plans/pdf.py)

    html = render_to_string(
        "pdf/agenda.html", {"meeting": meeting, "entries": agenda_entries(meeting), "printed_at": timezone.now()}
    )
    return HTML(string=html).write_pdf(font_config=font_config())
