"""Tumour-board meetings: a dated meeting with an ordered agenda of cases,
and the board's decision for each case.

The coordinator builds the agenda; during the meeting an oncologist records
each decision, either by linking the case's treatment plan or as free text.
State changes go through `her2app.meetings.actions`.
"""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from her2app.cases.models import Case
from her2app.plans.models import bounded_text, bounded_text_check


class Meeting(models.Model):
    date = models.DateField(db_index=True)
    title = models.CharField(max_length=200, default="HER2 mCRC tumour board")
    location = models.CharField(max_length=200, blank=True, help_text="Room or video-call link")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.title}, {self.date:%d %b %Y}"

    def agenda(self) -> models.QuerySet["AgendaItem"]:
        return self.items.select_related(
            "case__patient", "case__profile", "case__clinical", "plan", "decided_by"
        ).order_by("position", "pk")


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="agenda_items")
    position = models.PositiveIntegerField(help_text="1 is discussed first")
    question = models.CharField(
        "Question for the board", max_length=300, blank=True,
        help_text="Optional: what the board is asked to decide",
    )
    plan = models.ForeignKey(
        "plans.TreatmentPlan", on_delete=models.PROTECT, null=True, blank=True, related_name="board_decisions",
        help_text="The treatment plan the board agreed on",
    )
    decision_text = bounded_text("Decision")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "case"], name="agenda_case_once_per_meeting"),
            bounded_text_check("decision_text", "agenda_decision_bounded"),
        ]
        permissions = [("record_decision", "Can record a tumour-board decision")]

    def __str__(self) -> str:
        return f"{self.position}. {self.case}"

    @property
    def is_decided(self) -> bool:
        return self.decided_at is not None

    def clean(self) -> None:
        if self.plan_id and self.plan.case_id != self.case_id:
            raise ValidationError({"plan": "That plan belongs to another case."})


def agenda_document_path(document: "AgendaDocument", filename: str) -> str:
    return f"agendas/{document.meeting_id}/agenda-{document.meeting_id}-doc{document.version}.pdf"


class AgendaDocument(models.Model):
    """A printed agenda in Django storage, with the SHA-256 of the bytes the server rendered."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="documents")
    version = models.PositiveIntegerField(help_text="1, 2, 3 ... per meeting")
    file = models.FileField(upload_to=agenda_document_path, max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "version"], name="agenda_document_version_unique"),
        ]

    def __str__(self) -> str:
        return f"Agenda document {self.version} of meeting {self.meeting_id}"

    def read_bytes(self) -> bytes:
        with self.file.open("rb") as handle:
            return handle.read()

    def verify_checksum(self, content: bytes) -> bool:
        return hashlib.sha256(content).hexdigest() == self.sha256

    @property
    def download_name(self) -> str:
        return f"tumour-board-{self.meeting.date:%Y-%m-%d}-{self.meeting_id}-v{self.version}.pdf"
