"""A meeting's printed agenda, and after sign-off its minutes: rendered in the background like a plan PDF
(her2app.rendering), stored with the SHA-256 of the bytes the server rendered."""

import hashlib
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max

from her2app.meetings.models import AgendaDocument, Meeting
from her2app.meetings.pdf import render_meeting_pdf
from her2app.rendering import jobs
from her2app.rendering.jobs import PdfStatus
from her2app.rendering.models import RenderJob

KIND = RenderJob.Kind.AGENDA


def store_agenda_document(meeting: Meeting, content: bytes, user) -> AgendaDocument:
    with transaction.atomic():
        highest = AgendaDocument.objects.filter(meeting=meeting).aggregate(highest=Max("version"))["highest"]
        document = AgendaDocument(
            meeting=meeting, version=(highest or 0) + 1, sha256=hashlib.sha256(content).hexdigest(),
            size=len(content), created_by=user, is_minutes=meeting.is_signed_off,
        )
        document.file.save("agenda.pdf", ContentFile(content), save=False)
        document.save()
    return document


def request_agenda(meeting: Meeting, user) -> None:
    """Ask for the agenda as it stands when the worker renders it."""
    with transaction.atomic():
        jobs.request_render(KIND, meeting.pk, user)


def _render_for_job(job: RenderJob) -> Callable[[], AgendaDocument]:
    meeting = Meeting.objects.get(pk=job.object_id)
    content = render_meeting_pdf(meeting)
    return lambda: store_agenda_document(meeting, content, job.requested_by)


def _minutes_missing() -> list[tuple[int, object]]:
    """Signed-off meetings whose minutes PDF was never rendered (an agenda is printed only when asked)."""
    unrendered = Meeting.objects.filter(signed_off_at__isnull=False).exclude(documents__is_minutes=True)
    handled = [RenderJob.Status.QUEUED, RenderJob.Status.RUNNING, RenderJob.Status.FAILED]
    waiting = RenderJob.objects.filter(kind=KIND, status__in=handled).values("object_id")
    return [(meeting.pk, meeting.signed_off_by) for meeting in unrendered.exclude(pk__in=waiting)
            .select_related("signed_off_by")]


RENDERER = jobs.Renderer(render=_render_for_job, missing=_minutes_missing)


def agenda_status(meeting: Meeting) -> PdfStatus:
    """The latest PDF: the minutes once signed off (none until rendered), the agenda before."""
    documents = meeting.documents.select_related("created_by").filter(is_minutes=meeting.is_signed_off)
    return PdfStatus(document=documents.order_by("-version").first(), job=jobs.latest_job(KIND, meeting.pk))
