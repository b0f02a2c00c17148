"""One row per recorded administration event, and one oral supply record per drug and cycle.

The model owns the rules (`save` refuses what may not be recorded):
- only a verified plan that is not on hold (TreatmentPlan.check_administrable);
- "given" needs the dose, the start and end times and the batch, a second nurse other than the recorder, and a
  readiness checklist for its day (the re-flowed date) with no red line left (monitoring.readiness; an oncologist's
  override lifts one);
- "held" and "delayed" need a reason; "delayed" needs the date it is delayed until;
- an infusion reaction of CTCAE grade 1-5 needs a note.
Rows are never edited: the history (django-simple-history) and the rows themselves are the audit.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from her2app.accounts import roles
from her2app.plans.as_given import ScheduleAsGiven, schedule_as_given
from her2app.plans.models import TreatmentPlan, bounded_text, bounded_text_check
from regimens.measurements import format_date


class NotGivable(Exception):
    """A dose was recorded as given while the rules forbid it (readiness red, no independent check)."""


def is_nurse(user) -> bool:
    return user is not None and user.groups.filter(name=roles.NURSE).exists()


class Administration(models.Model):
    class Status(models.TextChoices):
        GIVEN = "given", "Given"
        HELD = "held", "Held"
        DELAYED = "delayed", "Delayed"

    class Reaction(models.IntegerChoices):
        NONE = 0, "No reaction"
        GRADE_1 = 1, "CTCAE grade 1"
        GRADE_2 = 2, "CTCAE grade 2"
        GRADE_3 = 3, "CTCAE grade 3"
        GRADE_4 = 4, "CTCAE grade 4"
        GRADE_5 = 5, "CTCAE grade 5"

    plan = models.ForeignKey(TreatmentPlan, on_delete=models.PROTECT, related_name="administrations")
    drug = models.CharField(max_length=64)
    cycle = models.PositiveSmallIntegerField()
    day = models.PositiveSmallIntegerField()
    scheduled_on = models.DateField("Scheduled day", help_text="The dose's re-flowed date when it was recorded: its readiness checklist")
    status = models.CharField(max_length=7, choices=Status.choices)
    given_on = models.DateField("Date given", null=True, blank=True)
    dose_mg = models.DecimalField("Actual dose (mg)", max_digits=8, decimal_places=1, null=True, blank=True)
    started_at = models.TimeField("Start time", null=True, blank=True)
    ended_at = models.TimeField("End time", null=True, blank=True)
    batch = models.CharField("Batch or lot number", max_length=40, blank=True)
    reaction_grade = models.PositiveSmallIntegerField("Infusion reaction", choices=Reaction.choices,
                                                      default=Reaction.NONE)
    reaction_note = bounded_text("Reaction note")
    reason = bounded_text("Reason (held or delayed)")
    delayed_until = models.DateField("Delayed until", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True,
                                   blank=True, help_text="The second nurse's independent check (given doses)")
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "cycle", "day", "drug", "recorded_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "drug", "cycle", "day"], condition=Q(status="given"),
                                    name="one_given_record_per_administration"),
            models.CheckConstraint(condition=Q(reaction_grade__lte=5), name="reaction_grade_ctcae"),
            bounded_text_check("reason", "administration_reason_bounded"),
            bounded_text_check("reaction_note", "administration_reaction_note_bounded"),
        ]

    def __str__(self) -> str:
        return f"{self.drug} cycle {self.cycle} day {self.day}: {self.get_status_display().lower()}"

    @property
    def is_given(self) -> bool:
        return self.status == self.Status.GIVEN

    @property
    def moves_schedule(self) -> bool:
        """Held, delayed, or given on another day than it was due: the later doses re-flow, so the printed
        schedule is out of date."""
        return not self.is_given or self.given_on != self.scheduled_on

    def clean(self) -> None:
        errors = {}
        if self.is_given:
            required = {"given_on": "the date", "dose_mg": "the actual dose", "started_at": "the start time",
                        "ended_at": "the end time", "batch": "the batch or lot number"}
            for field, words in required.items():
                if getattr(self, field) in (None, ""):
                    errors[field] = f"A given dose needs {words}."
            if self.dose_mg is not None and self.dose_mg <= 0:
                errors["dose_mg"] = "The dose must be more than 0 mg."
            if self.started_at and self.ended_at and self.ended_at < self.started_at:
                errors["ended_at"] = "The end time cannot be before the start time."
        else:
            if not self.reason.strip():
                errors["reason"] = f"Say why the dose is {self.get_status_display().lower()}."
            if self.status == self.Status.DELAYED and self.delayed_until is None:
                errors["delayed_until"] = "A delayed dose needs the date it is delayed until."
        if self.reaction_grade and not self.reaction_note.strip():
            errors["reaction_note"] = "Describe the infusion reaction."
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValidationError("An administration record is never edited: record a new entry.")
        self.plan.check_administrable()  # NotAdministrable: not verified, or on hold
        if self.is_given:
            self._check_givable()
        super().save(*args, **kwargs)

    def _check_givable(self) -> None:
        from her2app.monitoring.readiness import day_readiness

        if self.checked_by_id is None or self.checked_by_id == self.recorded_by_id or not is_nurse(self.checked_by):
            raise NotGivable("A given dose needs an independent check by a second nurse.")
        schedule = schedule_as_given(self.plan, self.given_on)  # re-flowed once, for both checks when it can
        readiness = day_readiness(self.plan, self.scheduled_on, read={self.given_on: schedule})
        if readiness is None:
            raise NotGivable(f"The plan gives nothing on {format_date(self.scheduled_on)}.")
        if readiness.blocks_given:
            raise NotGivable("The readiness checklist has a red line without an oncologist's override.")
        self._check_reload_confirmed(schedule)

    def _check_reload_confirmed(self, schedule: ScheduleAsGiven | None) -> None:
        due = schedule.due(self.drug, self.cycle, self.day) if schedule else None
        if due is not None and due.awaits_confirmation:
            raise NotGivable(f"{due.note} It is given once the oncologist confirms the re-load.")


class SupplyRecord(models.Model):
    """The tablets of an oral drug dispensed for one cycle."""

    plan = models.ForeignKey(TreatmentPlan, on_delete=models.PROTECT, related_name="supplies")
    drug = models.CharField(max_length=64)
    cycle = models.PositiveSmallIntegerField()
    tablets = models.PositiveIntegerField("Tablets dispensed")
    dispensed_on = models.DateField("Dispensed on")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "cycle", "drug", "pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "drug", "cycle"], name="one_supply_per_cycle"),
                       models.CheckConstraint(condition=Q(tablets__gt=0), name="supply_tablets_positive")]

    def __str__(self) -> str:
        return f"{self.drug} cycle {self.cycle}: {self.tablets} tablets"

    def save(self, *args, **kwargs) -> None:
        self.plan.check_administrable()
        super().save(*args, **kwargs)


class ReloadConfirmation(models.Model):
    """The oncologist's confirmation of a re-load the schedule proposes (D8): the dose to give, for one planned
    administration. Without it, the re-flowed schedule keeps the re-load as a proposal."""

    plan = models.ForeignKey(TreatmentPlan, on_delete=models.PROTECT, related_name="reload_confirmations")
    drug = models.CharField(max_length=64)
    cycle = models.PositiveSmallIntegerField()
    day = models.PositiveSmallIntegerField()
    dose_mg = models.DecimalField("Re-load dose (mg)", max_digits=8, decimal_places=1)
    proposal = models.TextField(help_text="The D8 sentence the oncologist confirmed")
    oncologist = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "cycle", "day", "drug", "pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "drug", "cycle", "day"], name="one_reload_per_dose")]
        permissions = [("confirm_reload", "Can confirm a re-load dose the schedule proposes (D8)")]

    def __str__(self) -> str:
        return f"{self.drug} cycle {self.cycle} day {self.day}: re-load {self.dose_mg:g} mg confirmed"
