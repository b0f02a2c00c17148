"""One form per wizard step. Ranges and vocabularies come from the models,
which read them from the engine's catalogue (reference S9, H1)."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator

from her2app.cases.search import SHORTEST_CONTAINS
from her2app.cases.plausibility import kg_text, last_recorded_weight, weight_question
from her2app.cases.models import (
    MAX_TREATMENT_LINES,
    RAS_EXONS,
    Case,
    ClinicalStatus,
    Histology,
    MolecularProfile,
    Patient,
    TreatmentLine,
)
from regimens import catalogue
from regimens.vocabulary import AGENT_LABELS, choices

AGENT_CHOICES = choices(catalogue.PRIOR_THERAPY_AGENTS, AGENT_LABELS)

VERSION_ERROR = (
    "This form lost its edit marker (version). Your values are kept: check them and save again."
)


def version_field() -> forms.IntegerField:
    return forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        max_value=2**31 - 1,
        error_messages={"required": VERSION_ERROR, "invalid": VERSION_ERROR,
                        "min_value": VERSION_ERROR, "max_value": VERSION_ERROR},
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def not_in_future(value: date | None, what: str) -> None:
    if value and value > date.today():
        raise ValidationError(f"{what} cannot be in the future.")


def label_blank_choices(form: forms.BaseForm, labels: dict[str, str]) -> None:
    """Say what an empty choice means ("Not done") instead of Django's dashes."""
    for name, label in labels.items():
        field = form.fields[name]
        field.choices = [("", label), *[(value, text) for value, text in field.choices if value != ""]]


# Form fields whose accepted range is the engine's (reference S9): their errors name the range and unit.
FIELD_LIMITS = {
    "weight_kg": catalogue.INPUT_LIMITS["patient.weight_kg"],
    "height_cm": catalogue.INPUT_LIMITS["patient.height_cm"],
    "lvef_percent": catalogue.INPUT_LIMITS["lvef_percent"],
    "her2_ihc_percent_cells": catalogue.INPUT_LIMITS["her2.ihc_percent_cells"],
    "her2_ish_ratio": catalogue.INPUT_LIMITS["her2.ish_ratio"],
    "ecog": catalogue.Limit(*catalogue.ECOG_RANGE, "", "S9"),
}
# Django formats these messages with parameters ("%" must be doubled); "invalid" is shown as is.
OUT_OF_RANGE_CODES = ("min_value", "max_value", "max_digits", "max_whole_digits")


def range_message(label: str, limit: catalogue.Limit) -> str:
    unit = f" {limit.unit}" if limit.unit and limit.unit != "%" else limit.unit
    label = label.split(" (")[0]  # "Weight (kg)": the unit follows the range
    return f"{label} must be a number from {limit.low:g} to {limit.high:g}{unit}."


def name_ranges(form: forms.BaseForm) -> None:
    """Out-of-range and malformed numbers say the allowed range and its unit."""
    for name, limit in FIELD_LIMITS.items():
        if name in form.fields:
            field = form.fields[name]
            message = range_message(str(field.label), limit)
            field.validators += [MinValueValidator(limit.low), MaxValueValidator(limit.high)]  # before clean()
            field.error_messages.update({code: message.replace("%", "%%") for code in OUT_OF_RANGE_CODES})
            field.error_messages["invalid"] = message


class FieldsetsMixin:
    """A step form lists its fields in groups; one template renders every such step.
    Its range errors name the allowed range and unit."""

    fieldsets: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_ranges(self)

    def grouped_fields(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(legend, [self[name] for name in names]) for legend, names in self.fieldsets]


class VersionForm(forms.Form):
    """The hidden version a step was opened at (optimistic locking)."""

    version = version_field()


class PatientForm(FieldsetsMixin, forms.ModelForm):
    version = version_field()
    fieldsets = (("Identity", ("mrn", "given_name", "family_name", "date_of_birth", "sex")),)

    class Meta:
        model = Patient
        fields = ["mrn", "given_name", "family_name", "date_of_birth", "sex"]
        widgets = {"date_of_birth": DateInput()}
        error_messages = {"mrn": {"unique": "A patient with this MRN is already on file."}}

    def __init__(self, *args, new_case: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if new_case:
            self.fields["version"].required = False


def exons_field(label: str) -> forms.TypedMultipleChoiceField:
    return forms.TypedMultipleChoiceField(
        label=label, choices=[(exon, f"Exon {exon}") for exon in RAS_EXONS], coerce=int, required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class TumourForm(FieldsetsMixin, forms.ModelForm):
    """The molecular profile plus the case's primary site and stage."""

    version = version_field()
    fieldsets = (
        ("Tumour", ("primary_site", "histology", "metastatic")),
        ("HER2", ("her2_ihc", "her2_ihc_percent_cells", "her2_ish", "her2_ish_ratio", "ngs_erbb2_amplified",
                  "ngs_copy_number")),
        ("HER2 test", ("test_method", "laboratory", "specimen", "test_date")),
        ("KRAS and NRAS", ("kras", "kras_exons", "nras", "nras_exons")),
        ("RAS test", ("ras_method", "ras_laboratory", "ras_test_date")),
        ("BRAF V600E", ("braf_v600e", "braf_method", "braf_laboratory", "braf_test_date")),
        ("MSI", ("msi", "msi_method", "msi_laboratory", "msi_test_date")),
    )
    primary_site = forms.ChoiceField(label="Primary tumour site", choices=Case._meta.get_field("primary_site").choices)
    histology = forms.ChoiceField(label="Histology", choices=[("", "Not recorded"), *Histology.choices],
                                  required=False)
    metastatic = forms.BooleanField(label="Metastatic disease", required=False, initial=True)
    kras_exons = exons_field("KRAS exons tested")
    nras_exons = exons_field("NRAS exons tested")

    class Meta:
        model = MolecularProfile
        fields = [
            "her2_ihc", "her2_ihc_percent_cells", "her2_ish", "her2_ish_ratio",
            "ngs_erbb2_amplified", "ngs_copy_number", "test_method", "laboratory", "specimen", "test_date",
            "kras", "kras_exons", "nras", "nras_exons", "ras_method", "ras_laboratory", "ras_test_date",
            "braf_v600e", "braf_method", "braf_laboratory", "braf_test_date",
            "msi", "msi_method", "msi_laboratory", "msi_test_date",
        ]
        widgets = {name: DateInput() for name in ("test_date", "ras_test_date", "braf_test_date", "msi_test_date")}
        help_texts = {
            "her2_ihc_percent_cells": "Share of tumour cells with the stated staining (0-100).",
            "her2_ish_ratio": f"{catalogue.ISH_AMPLIFIED_MIN_RATIO} or more means amplified.",
            "kras": "RAS counts as mutant if KRAS or NRAS is mutant, and as wild type only if both are wild type "
                    "with exons 2, 3 and 4 tested.",
        }

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["primary_site"].initial = case.primary_site or "unknown"
        self.fields["metastatic"].initial = case.metastatic
        self.fields["ngs_erbb2_amplified"].widget = forms.NullBooleanSelect()
        self.fields["histology"].initial = case.histology
        label_blank_choices(self, {"her2_ihc": "Not done", "her2_ish": "Not done", "test_method": "Not recorded",
                                   "ras_method": "Not recorded", "braf_method": "Not recorded",
                                   "msi_method": "Not recorded"})

    def clean(self) -> dict:
        data = super().clean()
        for name in ("test_date", "ras_test_date", "braf_test_date", "msi_test_date"):
            try:
                not_in_future(data.get(name), f"The {self.fields[name].label}")
            except ValidationError as error:
                self.add_error(name, error)
        return data

    def save(self, commit: bool = True) -> MolecularProfile:
        self.case.primary_site = self.cleaned_data["primary_site"]
        self.case.histology = self.cleaned_data["histology"]
        self.case.metastatic = self.cleaned_data["metastatic"]
        self.case.save(update_fields=["primary_site", "histology", "metastatic"])
        self.instance.case = self.case
        return super().save(commit)


class TreatmentLineForm(forms.ModelForm):
    agents = forms.MultipleChoiceField(
        label="Agents", choices=AGENT_CHOICES, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Tick at least one agent for this line, or remove the line."},
    )

    class Meta:
        model = TreatmentLine
        fields = ["agents", "start_date", "end_date", "best_response", "reason_stopped"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        label_blank_choices(self, {"best_response": "Not recorded", "reason_stopped": "Not recorded"})

    def full_clean(self) -> None:
        super().full_clean()
        if self.is_bound and self.cleaned_data.get("DELETE"):
            self._errors = forms.utils.ErrorDict()  # a line being removed is not checked

    def clean_start_date(self) -> date | None:
        value = self.cleaned_data.get("start_date")
        not_in_future(value, "The start date")
        return value


class BaseTreatmentLineFormSet(forms.BaseModelFormSet):
    default_error_messages = {"too_many_forms": f"A case can record at most {MAX_TREATMENT_LINES} treatment lines."}

    def save_in_order(self, case: Case) -> None:
        """Save kept lines numbered 1..n in the order shown; delete removed ones."""
        for form in self.deleted_forms:
            if form.instance.pk:
                form.instance.delete()
        deleted = self.deleted_forms
        kept = [form for form in self.forms if form not in deleted and (form.instance.pk or form.has_changed())]
        for number, form in enumerate(kept, start=1):
            line = form.save(commit=False)
            line.case = case
            line.line_number = number
            line.save()


def line_formset_class(extra: int) -> type[BaseTreatmentLineFormSet]:
    return forms.modelformset_factory(
        TreatmentLine, form=TreatmentLineForm, formset=BaseTreatmentLineFormSet, extra=extra, can_delete=True,
        max_num=MAX_TREATMENT_LINES, absolute_max=MAX_TREATMENT_LINES, validate_max=True,
    )


CONFIRM_WEIGHT_LABEL = "I have checked this weight"


class ConfirmValueCheckbox(forms.CheckboxInput):
    """A tick that confirms one value: it is shown with that value and submits it, so a tick given for one weight
    does not carry over to a weight typed afterwards."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, check_test=lambda value: bool(value) and value == self.confirms, **kwargs)
        self.confirms = ""

    def format_value(self, value):
        return self.confirms or None

    def value_from_datadict(self, data, files, name) -> str:
        return data.get(name, "")


class FitnessForm(FieldsetsMixin, forms.ModelForm):
    version = version_field()
    confirm_weight = forms.CharField(label=CONFIRM_WEIGHT_LABEL, required=False, widget=ConfirmValueCheckbox)
    fieldsets = (
        ("Body size", ("weight_kg", "weight_date", "height_cm")),
        ("Performance", ("ecog", "fit_for_intensive_therapy")),
        ("Heart, lungs and liver", ("lvef_percent", "lvef_date", "ild_history", "hepatic_impairment")),
        ("Pregnancy, interactions and allergies",
         ("pregnant", "breastfeeding", "strong_cyp2c8_inhibitor", "benzyl_alcohol_hypersensitivity")),
    )

    class Meta:
        model = ClinicalStatus
        fields = [
            "weight_kg", "weight_date", "height_cm", "ecog", "fit_for_intensive_therapy",
            "lvef_percent", "lvef_date", "ild_history", "hepatic_impairment",
            "pregnant", "breastfeeding", "strong_cyp2c8_inhibitor", "benzyl_alcohol_hypersensitivity",
        ]
        widgets = {"weight_date": DateInput(), "lvef_date": DateInput()}
        labels = {"fit_for_intensive_therapy": "Fit for intensive chemotherapy", "pregnant": "Pregnant",
                  "breastfeeding": "Breastfeeding"}
        help_texts = {
            "weight_kg": "Actual body weight; needed for every weight-based dose.",
            "lvef_percent": "Trastuzumab needs a baseline LVEF.",
            "pregnant": "For a female patient, leaving this unknown blocks anti-HER2 therapy until it is verified "
                        "(reference S10); record No after menopause.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        label_blank_choices(self, {"hepatic_impairment": "Not recorded"})
        self.weight_question: str | None = None

    def grouped_fields(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The confirmation tick appears with the weight once a question was asked (or it was ticked)."""
        groups = super().grouped_fields()
        if self.weight_question or (self.is_bound and self["confirm_weight"].data):
            legend, fields = groups[0]
            groups[0] = (legend, [*fields, self["confirm_weight"]])
        return groups

    def clean(self) -> dict:
        data = super().clean()
        case = getattr(self.instance, "case", None)
        if case is None or "weight_kg" not in data:
            return data
        weight = data["weight_kg"]
        question = weight_question(weight, last_recorded_weight(case))
        if question and data.get("confirm_weight") != kg_text(weight):
            self.weight_question = question
            self.fields["confirm_weight"].widget.confirms = kg_text(weight)
            self.add_error("weight_kg", f"{question} Check it, then tick “{CONFIRM_WEIGHT_LABEL}” to save it.")
        return data

    def clean_weight_date(self) -> date | None:
        value = self.cleaned_data.get("weight_date")
        not_in_future(value, "The weighing date")
        return value

    def clean_lvef_date(self) -> date | None:
        value = self.cleaned_data.get("lvef_date")
        not_in_future(value, "The LVEF date")
        return value

    def clean_pregnant(self) -> bool | None:
        """Reference S1: a pregnant male patient is a contradiction, said here rather than by the engine."""
        value = self.cleaned_data.get("pregnant")
        case = getattr(self.instance, "case", None)
        if value is True and case is not None and case.patient.sex == "male":
            raise ValidationError("The patient is recorded as male; correct the sex or this answer.")
        return value


class CaseSearchForm(forms.Form):
    q = forms.CharField(label="MRN or name", required=False, max_length=100)
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Any status"), *Case.Status.choices])

    @property
    def searched_text(self) -> str:
        return self.cleaned_data["q"].strip() if self.is_valid() else ""

    @property
    def matches_start_only(self) -> bool:
        """One or two characters find the MRNs and names that start with them (cases.search)."""
        return 0 < len(self.searched_text) < SHORTEST_CONTAINS
