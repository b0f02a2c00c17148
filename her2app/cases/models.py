"""Case records: a patient, the tumour's molecular profile, treatment history
and the fitness and safety data the regimen engine needs.

Ranges and vocabularies come from the engine's catalogue (reference S9/H1),
so the wizard and the engine accept exactly the same values.
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from regimens import catalogue, vocabulary
from regimens.vocabulary import choices


def limit_validators(path: str) -> list:
    limit = catalogue.INPUT_LIMITS[path]
    return [MinValueValidator(limit.low), MaxValueValidator(limit.high)]


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Unknown"


def listed_patient_name(given_name: str, family_name: str) -> str:
    """A patient's name as lists and headings show it: "HOPPER, Grace"."""
    return f"{family_name.upper()}, {given_name}"


class Patient(models.Model):
    mrn = models.CharField("MRN", max_length=32, unique=True, help_text="Hospital medical record number")
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=10, choices=Sex.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["family_name", "given_name"]
        indexes = [models.Index(fields=["family_name", "given_name"])]

    def __str__(self) -> str:
        return f"{self.listed_name} ({self.mrn})"

    @property
    def listed_name(self) -> str:
        return listed_patient_name(self.given_name, self.family_name)

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def age_on(self, day: date) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    def clean(self) -> None:
        if self.date_of_birth and self.date_of_birth > date.today():
            raise ValidationError({"date_of_birth": "Date of birth cannot be in the future."})


class EditConflict(Exception):
    """Someone else saved this case after the version the editor started from."""

    def __init__(self, case: "Case"):
        self.case = case
        super().__init__(f"case {case.pk} was changed by someone else")


class Histology(models.TextChoices):
    ADENOCARCINOMA = "adenocarcinoma", "Adenocarcinoma"
    MUCINOUS = "mucinous", "Mucinous adenocarcinoma"
    SIGNET_RING = "signet_ring", "Signet-ring cell carcinoma"
    OTHER = "other", "Other"


class Case(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        READY = "ready", "Ready for review"
        PLANNED = "planned", "Plan approved"
        CLOSED = "closed", "Closed"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="cases")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    primary_site = models.CharField(
        max_length=12, choices=choices(catalogue.PRIMARY_SITES, vocabulary.PRIMARY_SITE_LABELS), default="unknown",
        blank=True,
    )
    metastatic = models.BooleanField(default=True)
    histology = models.CharField(max_length=14, choices=Histology.choices, blank=True)
    version = models.PositiveIntegerField(default=1, help_text="Increases on every save; detects edit conflicts")
    # What the engine said when the case was last sent for review: the re-check compares it with the result
    # for the case's current data under the current ruleset.
    sent_engine_input = models.JSONField(null=True, blank=True, help_text="Engine input when last sent for review")
    sent_engine_output = models.JSONField(null=True, blank=True, help_text="Engine result when last sent for review")
    sent_at = models.DateTimeField("Last sent for review", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Case {self.pk} — {self.patient}"


RAS_EXONS = (2, 3, 4)  # extended RAS testing: KRAS and NRAS exons 2, 3 and 4


def derive_ras(kras: str, kras_exons: list[int], nras: str, nras_exons: list[int]) -> str:
    """The engine's one RAS value: mutant if KRAS or NRAS is mutant; wild type only if both are wild type with
    exons 2, 3 and 4 tested; otherwise unknown. The only place RAS is derived (MolecularProfile.save)."""
    if "mutant" in (kras, nras):
        return "mutant"
    extended = all(set(RAS_EXONS) <= set(exons or []) for exons in (kras_exons, nras_exons))
    return "wild_type" if (kras, nras) == ("wild_type", "wild_type") and extended else "unknown"


def combined_ras_fields(ras: str) -> dict:
    """KRAS and NRAS fields for a single combined RAS result (demo fixtures, generated cases; the same reading as
    migration 0005): wild type as both genes wild type with exons 2-4 tested, mutant as KRAS mutant."""
    if ras == "wild_type":
        return {"kras": "wild_type", "kras_exons": list(RAS_EXONS), "nras": "wild_type", "nras_exons": list(RAS_EXONS)}
    return {"kras": "mutant"} if ras == "mutant" else {}


def mutation_field(label: str) -> models.CharField:
    return models.CharField(
        label, max_length=10, choices=choices(catalogue.MUTATION_STATUSES, vocabulary.MUTATION_LABELS),
        default="unknown",
    )


class MarkerMethod(models.TextChoices):
    NGS = "ngs", "Tissue NGS"
    PCR = "pcr", "PCR"
    IHC = "ihc", "Immunohistochemistry"
    OTHER = "other", "Other"


class MolecularProfile(models.Model):
    class Method(models.TextChoices):
        IHC_ISH = "ihc_ish", "IHC with reflex ISH"
        NGS = "ngs", "Tissue NGS"
        IHC_ISH_NGS = "ihc_ish_ngs", "IHC/ISH and NGS"

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="profile")
    her2_ihc = models.CharField(
        "HER2 IHC score", max_length=2, choices=choices(catalogue.IHC_SCORES, vocabulary.IHC_LABELS), blank=True
    )
    her2_ihc_percent_cells = models.PositiveSmallIntegerField(
        "HER2 IHC % of tumour cells", null=True, blank=True, validators=limit_validators("her2.ihc_percent_cells")
    )
    her2_ish = models.CharField(
        "HER2 ISH result", max_length=14, choices=choices(catalogue.ISH_RESULTS, vocabulary.ISH_RESULT_LABELS),
        blank=True,
    )
    her2_ish_ratio = models.DecimalField(
        "HER2:CEP17 ratio",
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=limit_validators("her2.ish_ratio"),
    )
    ngs_erbb2_amplified = models.BooleanField("NGS ERBB2 amplified", null=True, blank=True)
    ngs_copy_number = models.DecimalField(
        "NGS ERBB2 copy number", max_digits=5, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(0)],
    )
    test_method = models.CharField(max_length=12, choices=Method.choices, blank=True)
    laboratory = models.CharField(max_length=200, blank=True)
    specimen = models.CharField(max_length=200, blank=True, help_text="e.g. primary resection, liver biopsy")
    test_date = models.DateField("HER2 test date", null=True, blank=True)
    kras = mutation_field("KRAS")
    kras_exons = models.JSONField("KRAS exons tested", default=list, blank=True)
    nras = mutation_field("NRAS")
    nras_exons = models.JSONField("NRAS exons tested", default=list, blank=True)
    ras = models.CharField(
        "RAS", max_length=10, choices=choices(catalogue.MUTATION_STATUSES, vocabulary.MUTATION_LABELS),
        default="unknown", editable=False, help_text="Derived from KRAS and NRAS (derive_ras)",
    )
    ras_method = models.CharField("RAS test method", max_length=8, choices=MarkerMethod.choices, blank=True)
    ras_laboratory = models.CharField("RAS laboratory", max_length=200, blank=True)
    ras_test_date = models.DateField("RAS test date", null=True, blank=True)
    braf_v600e = mutation_field("BRAF V600E")
    braf_method = models.CharField("BRAF test method", max_length=8, choices=MarkerMethod.choices, blank=True)
    braf_laboratory = models.CharField("BRAF laboratory", max_length=200, blank=True)
    braf_test_date = models.DateField("BRAF test date", null=True, blank=True)
    msi = models.CharField(
        "MSI", max_length=10, choices=choices(catalogue.MSI_STATUSES, vocabulary.MSI_LABELS), default="unknown"
    )
    msi_method = models.CharField("MSI test method", max_length=8, choices=MarkerMethod.choices, blank=True)
    msi_laboratory = models.CharField("MSI laboratory", max_length=200, blank=True)
    msi_test_date = models.DateField("MSI test date", null=True, blank=True)
    history = HistoricalRecords()

    def with_derived_ras(self) -> "MolecularProfile":
        """Set `ras` from KRAS and NRAS (save() does this; bulk_create callers call it themselves)."""
        self.ras = derive_ras(self.kras, self.kras_exons, self.nras, self.nras_exons)
        return self

    def save(self, *args, **kwargs) -> None:
        self.with_derived_ras()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "ras"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        """Reject an ISH result that contradicts its own ratio (reference H1)."""
        if self.her2_ish_ratio is None or not self.her2_ish:
            return
        threshold = catalogue.ISH_AMPLIFIED_MIN_RATIO
        amplified_by_ratio = float(self.her2_ish_ratio) >= threshold
        if amplified_by_ratio and self.her2_ish == "not_amplified":
            raise ValidationError({"her2_ish": (
                f"A HER2:CEP17 ratio of {self.her2_ish_ratio} is amplified (>= {threshold}); "
                "check the ISH result or the ratio."
            )})
        if not amplified_by_ratio and self.her2_ish == "amplified":
            raise ValidationError({"her2_ish": (
                f"A HER2:CEP17 ratio of {self.her2_ish_ratio} is not amplified (< {threshold}); "
                "check the ISH result or the ratio."
            )})


MAX_TREATMENT_LINES = 20


class TreatmentLine(models.Model):
    class Response(models.TextChoices):
        CR = "CR", "Complete response"
        PR = "PR", "Partial response"
        SD = "SD", "Stable disease"
        PD = "PD", "Progressive disease"
        NE = "NE", "Not evaluable"

    class StopReason(models.TextChoices):
        PROGRESSION = "progression", "Progression"
        TOXICITY = "toxicity", "Toxicity"
        COMPLETED = "completed", "Completed"
        ONGOING = "ongoing", "Ongoing"
        OTHER = "other", "Other"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="treatment_lines")
    line_number = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(MAX_TREATMENT_LINES)])
    agents = models.JSONField(default=list, help_text="Agents from the engine's vocabulary")
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    best_response = models.CharField(max_length=2, choices=Response.choices, blank=True)
    reason_stopped = models.CharField(max_length=12, choices=StopReason.choices, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "line_number", "pk"]

    def clean(self) -> None:
        unknown = [agent for agent in self.agents if agent not in catalogue.PRIOR_THERAPY_AGENTS]
        if unknown:
            raise ValidationError({"agents": f"Unknown agent(s): {', '.join(unknown)}."})
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "End date cannot be before the start date."})


class ClinicalStatus(models.Model):
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="clinical")
    weight_kg = models.DecimalField(
        "Weight (kg)", max_digits=5, decimal_places=1, null=True, blank=True,
        validators=limit_validators("patient.weight_kg"),
    )
    weight_date = models.DateField("Weighed on", null=True, blank=True)
    height_cm = models.DecimalField(
        "Height (cm)", max_digits=4, decimal_places=1, null=True, blank=True,
        validators=limit_validators("patient.height_cm"),
    )
    ecog = models.PositiveSmallIntegerField(
        "ECOG performance status", null=True, blank=True,
        validators=[MinValueValidator(catalogue.ECOG_RANGE[0]), MaxValueValidator(catalogue.ECOG_RANGE[1])],
    )
    fit_for_intensive_therapy = models.BooleanField(null=True, blank=True)
    lvef_percent = models.PositiveSmallIntegerField(
        "LVEF (%)", null=True, blank=True, validators=limit_validators("lvef_percent")
    )
    lvef_date = models.DateField("LVEF measured on", null=True, blank=True)
    ild_history = models.BooleanField("History of ILD / pneumonitis", null=True, blank=True)
    hepatic_impairment = models.CharField(
        "Hepatic impairment (Child-Pugh)", max_length=10, blank=True,
        choices=choices(catalogue.HEPATIC_IMPAIRMENT, vocabulary.HEPATIC_LABELS),
    )
    pregnant = models.BooleanField(null=True, blank=True)
    breastfeeding = models.BooleanField(null=True, blank=True)
    strong_cyp2c8_inhibitor = models.BooleanField("Taking a strong CYP2C8 inhibitor", null=True, blank=True)
    benzyl_alcohol_hypersensitivity = models.BooleanField(
        "Hypersensitive to benzyl alcohol", null=True, blank=True,
        help_text="The 420 mg multi-dose trastuzumab vial is then reconstituted with sterile water and is single-use.",
    )
    history = HistoricalRecords()
