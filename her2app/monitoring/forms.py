"""Forms: one measurement of a series, a liver-test panel, a pregnancy status, and the decisions on a
readiness line. Errors are attached to the field they are about."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from her2app.accounts.people import PersonChoiceField
from her2app.monitoring.models import (
    LIMITS,
    LIVER_KINDS,
    UNITS,
    Kind,
    Measurement,
    PregnancyStatus,
)
from her2app.plans.models import FREE_TEXT_MAX_CHARS

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
YES_NO = [("true", "Yes"), ("false", "No")]
YES_NO_UNKNOWN = [("", "Not known"), ("true", "Yes"), ("false", "No")]
ONCOLOGIST_PERMISSION = "approve_treatmentplan"  # who signs plans is who decides on readiness


def _not_in_future(day):
    if day and day > timezone.localdate():
        raise ValidationError("The date cannot be in the future.")
    return day


class MeasurementForm(forms.ModelForm):
    """Weight or LVEF: one value with its date; the model checks the reference's hard limits (S9)."""

    class Meta:
        model = Measurement
        fields = ["value", "measured_on"]
        widgets = {"measured_on": DATE_INPUT}

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.kind, self.instance.unit = kind, UNITS[kind][0]
        limit = LIMITS[kind]
        self.fields["value"].label = f"{Kind(kind).label} ({limit.unit})"
        self.fields["value"].help_text = f"{limit.low:g} to {limit.high:g} {limit.unit}."
        self.initial["measured_on"] = self.initial.get("measured_on") or timezone.localdate()

    def clean_measured_on(self):
        return _not_in_future(self.cleaned_data["measured_on"])


class LiverTestsForm(forms.Form):
    """ALT, AST and bilirubin measured on one day (M2); any of them may be left empty, not all."""

    measured_on = forms.DateField(label="Measured on", widget=DATE_INPUT)
    alt = forms.DecimalField(label="ALT (U/L)", required=False, min_value=0, max_digits=7, decimal_places=1)
    ast = forms.DecimalField(label="AST (U/L)", required=False, min_value=0, max_digits=7, decimal_places=1)
    bilirubin = forms.DecimalField(label="Bilirubin", required=False, min_value=0, max_digits=7, decimal_places=1)
    bilirubin_unit = forms.ChoiceField(label="Bilirubin unit", choices=[(unit, unit) for unit in UNITS[Kind.BILIRUBIN]])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measured_on"].initial = timezone.localdate()

    def clean_measured_on(self):
        return _not_in_future(self.cleaned_data["measured_on"])

    def clean(self):
        cleaned = super().clean()
        if not self.errors and all(cleaned.get(kind) is None for kind in LIVER_KINDS):
            self.add_error("alt", "Enter at least one of ALT, AST and bilirubin.")
        return cleaned

    def measurements(self, case, user) -> list[Measurement]:
        units = {Kind.ALT: "U/L", Kind.AST: "U/L", Kind.BILIRUBIN: self.cleaned_data["bilirubin_unit"]}
        return [Measurement(case=case, kind=kind, value=self.cleaned_data[kind], unit=units[kind],
                            measured_on=self.cleaned_data["measured_on"], recorded_by=user)
                for kind in LIVER_KINDS if self.cleaned_data[kind] is not None]


class PregnancyForm(forms.ModelForm):
    basis = forms.ChoiceField(label="Basis", choices=PregnancyStatus.Basis.choices, initial=PregnancyStatus.Basis.TEST,
                              widget=forms.RadioSelect)
    pregnant = forms.TypedChoiceField(label="Pregnant", choices=YES_NO, coerce=lambda value: value == "true",
                                      widget=forms.RadioSelect)
    breastfeeding = forms.TypedChoiceField(label="Breastfeeding", choices=YES_NO_UNKNOWN, required=False,
                                           coerce=lambda value: value == "true", empty_value=None)

    class Meta:
        model = PregnancyStatus
        fields = ["basis", "pregnant", "breastfeeding", "measured_on"]
        widgets = {"measured_on": DATE_INPUT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["measured_on"] = self.initial.get("measured_on") or timezone.localdate()

    def clean_measured_on(self):
        return _not_in_future(self.cleaned_data["measured_on"])


class OverrideForm(forms.Form):
    """An oncologist lifts a line that is not OK, with a reason."""

    reason = forms.CharField(
        label="Reason for the override", widget=forms.Textarea(attrs={"rows": 3}), max_length=FREE_TEXT_MAX_CHARS,
        help_text=f"Required: why treatment goes ahead although this line is not OK. At most {FREE_TEXT_MAX_CHARS} "
        "characters.",
    )


def oncologists():
    User = get_user_model()
    granted = Q(groups__permissions__codename=ONCOLOGIST_PERMISSION) | Q(
        user_permissions__codename=ONCOLOGIST_PERMISSION)
    return User.objects.filter(granted, is_active=True, is_superuser=False).distinct().order_by(
        "last_name", "first_name", "username")


class GoAheadForm(forms.Form):
    """The oncologist's go-ahead on a line that asks for it (liver tests, M3), recorded by the nurse or the
    oncologist."""

    oncologist = PersonChoiceField(label="Oncologist who gave the go-ahead", queryset=oncologists())
    reason = forms.CharField(label="Note (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             max_length=FREE_TEXT_MAX_CHARS)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["oncologist"].queryset = oncologists()
        if user is not None and user.has_perm(f"plans.{ONCOLOGIST_PERMISSION}"):
            self.fields["oncologist"].initial = user.pk

