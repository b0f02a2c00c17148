"""The case's dated measurement series, and the oncologist's decisions on readiness lines.

Every entry says when it was measured and who recorded it. Entries are added, never edited, except the one
entry per series that mirrors the case record's value (source "case"), which follows the wizard.
Ranges come from the engine's catalogue (reference S9); the reference gives no limits for liver tests, so
only a negative value (not a concentration) is refused.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from her2app.cases.models import Case
from her2app.plans.models import TreatmentPlan, bounded_text, bounded_text_check
from regimens import catalogue
from regimens.readiness import CHECK_LABELS


class Source(models.TextChoices):
    CASE = "case", "Case record"
    ENTRY = "entry", "Recorded measurement"


class Kind(models.TextChoices):
    WEIGHT = "weight", "Weight"
    LVEF = "lvef", "LVEF"
    ALT = "alt", "ALT"
    AST = "ast", "AST"
    BILIRUBIN = "bilirubin", "Bilirubin"


LIVER_KINDS = (Kind.ALT, Kind.AST, Kind.BILIRUBIN)  # the three tests of M2, keys of catalogue.LIVER_TESTS
# The catalogue's hard limits (S9) for the series that have them.
LIMITS = {Kind.WEIGHT: catalogue.INPUT_LIMITS["patient.weight_kg"], Kind.LVEF: catalogue.INPUT_LIMITS["lvef_percent"]}
# Units: weight and LVEF have one; liver tests are kept in the laboratory's unit.
UNITS = {
    Kind.WEIGHT: ("kg",),
    Kind.LVEF: ("%",),
    Kind.ALT: ("U/L",),
    Kind.AST: ("U/L",),
    Kind.BILIRUBIN: ("µmol/L", "mg/dL"),
}


class SeriesEntry(models.Model):
    """An entry of one of the case's series: taken from the case record or recorded here, by whom and when."""

    source = models.CharField(max_length=5, choices=Source.choices, default=Source.ENTRY)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class Measurement(SeriesEntry):
    """One dated value of one series: weight (kg), LVEF (%), ALT, AST or bilirubin (laboratory unit)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="measurements")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    value = models.DecimalField(max_digits=7, decimal_places=1)
    unit = models.CharField(max_length=10)
    measured_on = models.DateField("Measured on")
    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "kind", "measured_on", "recorded_at", "pk"]
        indexes = [models.Index(fields=["case", "kind", "measured_on"])]
        constraints = [
            models.UniqueConstraint(fields=["case", "kind"], condition=Q(source="case"),
                                    name="one_case_record_entry_per_series"),
            models.CheckConstraint(condition=Q(value__gte=0), name="measurement_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value:g} {self.unit} on {self.measured_on}"

    def clean(self) -> None:
        errors = {}
        limit = LIMITS.get(self.kind)
        if self.value is not None and limit and not limit.low <= self.value <= limit.high:
            errors["value"] = (f"{self.get_kind_display()} must be between {limit.low:g} and {limit.high:g} "
                               f"{limit.unit} (reference {limit.ref}).")
        elif self.value is not None and self.value < 0:
            errors["value"] = f"{self.get_kind_display()} cannot be negative."
        elif self.kind == Kind.LVEF and self.value is not None and self.value != self.value.to_integral_value():
            errors["value"] = "Record LVEF in whole percent, as the case record holds it."
        if self.kind in UNITS and self.unit not in UNITS[self.kind]:
            errors["unit"] = f"Choose one of: {', '.join(UNITS[self.kind])}."
        if errors:
            raise ValidationError(errors)


class PregnancyStatus(SeriesEntry):
    """A pregnancy test or a recorded status (S10 for a female patient; S1 when pregnant or breastfeeding)."""

    class Basis(models.TextChoices):
        TEST = "test", "Pregnancy test"
        STATUS = "status", "Recorded status (for example after menopause)"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="pregnancy_statuses")
    basis = models.CharField(max_length=6, choices=Basis.choices)
    pregnant = models.BooleanField()
    breastfeeding = models.BooleanField(null=True, blank=True)
    measured_on = models.DateField("Tested or recorded on")
    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "measured_on", "recorded_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=Q(source="case"),
                                    name="one_case_record_pregnancy_entry"),
        ]

    def __str__(self) -> str:
        return f"{'Pregnant' if self.pregnant else 'Not pregnant'} on {self.measured_on}"


class ReadinessDecision(models.Model):
    """An oncologist's decision on one readiness line of one administration day: an override of a line that is
    not OK (with a reason), or the go-ahead a line asks for (liver tests, M3), recorded by the nurse or the
    oncologist. It applies while the line shows the same data (`line_text`); new data needs a new decision.
    Decisions are never edited or deleted: they are the audit."""

    class Decision(models.TextChoices):
        OVERRIDE = "override", "Override"
        GO_AHEAD = "go_ahead", "Go-ahead"

    plan = models.ForeignKey(TreatmentPlan, on_delete=models.PROTECT, related_name="readiness_decisions")
    day = models.DateField("Administration day")
    check_name = models.CharField(max_length=12)  # weight | lvef | liver_tests | pregnancy
    drug = models.CharField(max_length=64, blank=True)
    decision = models.CharField(max_length=8, choices=Decision.choices)
    line_text = models.TextField(help_text="The data the line showed when the decision was recorded")
    reason = bounded_text("Reason or note")
    oncologist = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "day", "recorded_at", "pk"]
        constraints = [bounded_text_check("reason", "readiness_reason_bounded")]
        permissions = [
            ("override_readiness", "Can override a readiness line that is not OK, with a reason"),
            ("record_go_ahead", "Can record the oncologist's go-ahead on a readiness line"),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} of {self.check_name} on {self.day} (plan {self.plan_id})"

    @property
    def check_label(self) -> str:
        return CHECK_LABELS.get(self.check_name, self.check_name)

    def clean(self) -> None:
        if self.decision == self.Decision.OVERRIDE and not self.reason.strip():
            raise ValidationError({"reason": "An override needs a reason."})

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValidationError("A readiness decision is never changed: record a new one.")
        super().save(*args, **kwargs)

    def applies_to(self, line) -> bool:
        return (self.check_name, self.drug, self.decision, self.line_text) == (
            line.check, line.drug or "", line.resolution, line.text)
