"""Cases started from an EHR's FHIR bundle: the import, and where each imported value came from.

An ImportedValue marks one wizard field (or treatment line) filled from the
bundle until a person saves that step, which confirms it (confirmed_by/at);
the marks stay as the record of what came from where.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from her2app.cases.models import Case


class BundleImport(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="bundle_imports")
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=200, blank=True)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    unrecognised = models.JSONField(default=list, help_text="What the bundle held that was not imported, and why")
    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "-imported_at", "-pk"]

    def __str__(self) -> str:
        return f"FHIR import {self.pk} into case {self.case_id}"


class ImportedValue(models.Model):
    bundle_import = models.ForeignKey(BundleImport, on_delete=models.CASCADE, related_name="values")
    step = models.CharField(max_length=12, help_text="Wizard step slug")
    field = models.CharField(max_length=40, help_text="Form field name, or line-N for a treatment line")
    label = models.CharField(max_length=120)
    shown = models.CharField("Imported value", max_length=300)
    source = models.CharField(max_length=200, help_text="Bundle resource, e.g. Observation/abc")
    source_date = models.DateField(null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["bundle_import", "pk"]
        indexes = [models.Index(fields=["bundle_import", "step"], condition=models.Q(confirmed_at__isnull=True),
                                name="imported_value_pending")]

    def __str__(self) -> str:
        return f"{self.label} from {self.source}"
