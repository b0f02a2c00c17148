"""Tumour-board meetings: a dated meeting with an ordered agenda of cases,
and the board's decision for each case.

The coordinator builds the agenda (time, place, attendees, chair; per case a
presenter, the question and short pathology and imaging summaries); during the
meeting the coordinator or an oncologist records each coded outcome with text,
and the chair signs the minutes off with their password, after which they are
read-only.
State changes go through `her2app.meetings.actions`.
"""


from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from her2app.cases.models import Case
from her2app.plans.models import bounded_text, bounded_text_check
from her2app.rendering.models import StoredPdf
from regimens.measurements import format_date


class Meeting(models.Model):
    date = models.DateField(db_index=True)
    title = models.CharField(max_length=200, default="HER2 mCRC tumour board")
    starts_at = models.TimeField("Start time", null=True, blank=True)
    location = models.CharField(max_length=200, blank=True, help_text="Room or video-call link")
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="The chair signs the minutes off",
    )
    present = bounded_text("Present", help_text="One name per line")
    apologies = bounded_text("Apologies", help_text="One name per line")
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-pk"]
        constraints = [
            bounded_text_check("present", "meeting_present_bounded"),
            bounded_text_check("apologies", "meeting_apologies_bounded"),
        ]

    def __str__(self) -> str:
        return f"{self.title}, {format_date(self.date)}"

    @property
    def is_signed_off(self) -> bool:
        return self.signed_off_at is not None

    @property
    def present_names(self) -> list[str]:
        return [name.strip() for name in self.present.splitlines() if name.strip()]

    @property
    def apology_names(self) -> list[str]:
        return [name.strip() for name in self.apologies.splitlines() if name.strip()]

    def agenda(self) -> models.QuerySet["AgendaItem"]:
        return self.items.select_related(
            "case__patient", "case__profile", "case__clinical", "plan", "decided_by"
        ).order_by("position", "pk")


class Outcome(models.TextChoices):
    TREATMENT_PLAN = "treatment_plan", "Treatment plan"
    FURTHER_TESTING = "further_testing", "Further testing"
    IMAGING = "imaging", "Imaging"
    TRIAL_REFERRAL = "trial_referral", "Trial referral"
    BEST_SUPPORTIVE_CARE = "best_supportive_care", "Best supportive care"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="agenda_items")
    position = models.PositiveIntegerField(help_text="1 is discussed first")
    question = models.CharField(
        "Question for the board", max_length=300, blank=True,
        help_text="Optional: what the board is asked to decide",
    )
    presenter = models.CharField(max_length=200, blank=True, help_text="Who presents the case")
    pathology_summary = bounded_text("Pathology summary")
    imaging_summary = bounded_text("Imaging summary")
    outcome = models.CharField(max_length=30, choices=Outcome.choices, blank=True)
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
            bounded_text_check("pathology_summary", "agenda_pathology_bounded"),
            bounded_text_check("imaging_summary", "agenda_imaging_bounded"),
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


class AgendaDocument(StoredPdf):
    """A printed agenda, or once the chair has signed off the minutes, in Django storage,
    with the SHA-256 of the bytes the server rendered."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="documents")
    version = models.PositiveIntegerField(help_text="1, 2, 3 ... per meeting")
    is_minutes = models.BooleanField(default=False, help_text="Rendered after the minutes were signed off")
    file = models.FileField(upload_to=agenda_document_path, max_length=255)

    class Meta:
        ordering = ["meeting", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "version"], name="agenda_document_version_unique"),
        ]

    def __str__(self) -> str:
        return f"Agenda document {self.version} of meeting {self.meeting_id}"

    @property
    def download_name(self) -> str:
        kind = "minutes" if self.is_minutes else "agenda"
        return f"tumour-board-{kind}-{self.meeting.date:%Y-%m-%d}-{self.meeting_id}-v{self.version}.pdf"
