"""Tumour-board meetings: a dated meeting with an ordered agenda of cases,
and the board's decision for each case.

The coordinator builds the agenda; during the meeting an oncologist records
each decision, either by linking the case's treatment plan or as free text.
State changes go through `her2app.meetings.actions`.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from her2app.cases.models import Case


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
    decision_text = models.TextField("Decision", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "case"], name="agenda_case_once_per_meeting"),
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
