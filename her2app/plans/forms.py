"""Forms for choosing, adjusting, signing and cancelling a treatment plan."""

from datetime import date, timedelta
from decimal import Decimal

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest

from her2app.cases.forms import version_field
from her2app.cases.changes import Change
from her2app.plans.options import find_option, override_reasons, plannable_options, rounding_decision
from her2app.plans.models import FREE_TEXT_MAX_CHARS, PlanDose, TreatmentPlan
from regimens import vocabulary
from regimens.measurements import format_date

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
START_DATE_PAST_DAYS = 365  # a plan may be recorded for treatment that began up to a year ago
START_DATE_FUTURE_DAYS = 730


def validate_start_date(value: date) -> None:
    earliest = date.today() - timedelta(days=START_DATE_PAST_DAYS)
    latest = date.today() + timedelta(days=START_DATE_FUTURE_DAYS)
    if not earliest <= value <= latest:
        raise forms.ValidationError(
            f"Enter a start date between {format_date(earliest)} and {format_date(latest)}."
        )


def start_date_field() -> forms.DateField:
    return forms.DateField(
        label="Planned start date (cycle 1 day 1)", widget=DATE_INPUT, validators=[validate_start_date]
    )


class BoundedTextField(forms.CharField):
    """Free text up to FREE_TEXT_MAX_CHARS, said at the field. No maxlength attribute:
    a browser would silently cut pasted text, and nothing typed may be lost."""

    def __init__(self, *, label: str, help_text: str = "", rows: int = 3, required: bool = False):
        super().__init__(
            label=label,
            required=required,
            max_length=FREE_TEXT_MAX_CHARS,
            widget=forms.Textarea(attrs={"rows": rows}),
            help_text=f"{help_text} At most {FREE_TEXT_MAX_CHARS} characters.".strip(),
            error_messages={
                "max_length": "This text has %(show_value)d characters; at most %(limit_value)d are accepted. "
                "Shorten it: your text is still here."
            },
        )

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


def _option_label(option: dict) -> str:
    return f"{vocabulary.regimen_title(option['regimen'])} ({vocabulary.tier_label(option.get('tier')).lower()})"


class ChooseRegimenForm(forms.Form):
    regimen = forms.ChoiceField(label="Regimen", widget=forms.RadioSelect)
    start_date = start_date_field()
    override_reason = BoundedTextField(
        label="Override reason",
        help_text="Required for every regimen that is not preferred (so for every choice when nothing is "
        "preferred) and for every regimen with a blocking warning.",
    )
    clinician_notes = BoundedTextField(label="Clinician notes")
    case_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, engine_output: dict, case_version: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.engine_output = engine_output
        self.current_case_version = case_version
        self.fields["regimen"].choices = [
            (option["regimen"], _option_label(option)) for option in plannable_options(engine_output)
        ]
        self.fields["case_version"].initial = case_version
        self.fields["start_date"].initial = date.today()

    def clean(self) -> dict:
        cleaned = super().clean()
        # A missing, malformed or old hidden version all mean: this page is not the case as it is now.
        if cleaned.get("case_version") != self.current_case_version:
            self.errors.pop("case_version", None)
            raise forms.ValidationError(
                "The case changed since this page was opened. Review the updated options below and choose again."
            )
        regimen = cleaned.get("regimen")
        option = find_option(self.engine_output, regimen) if regimen else None
        if option and option.get("doses_incomplete"):
            self.add_error(
                "regimen",
                "Some doses of this regimen cannot be calculated (the patient's weight is missing). "
                "Record the weight in the case first.",
            )
        reasons = override_reasons(self.engine_output, regimen) if regimen else []
        if reasons and not cleaned.get("override_reason", "").strip():
            self.add_error(
                "override_reason", f"An override reason is required because {'; and '.join(reasons)}."
            )
        return cleaned


class DraftPlanForm(forms.Form):
    start_date = start_date_field()
    clinician_notes = BoundedTextField(label="Clinician notes")
    edit_version = version_field()


def draft_form(plan: TreatmentPlan, data=None) -> DraftPlanForm:
    initial = {"start_date": plan.start_date, "clinician_notes": plan.clinician_notes, "edit_version": plan.edit_version}
    return DraftPlanForm(data, initial=initial)


class DoseForm(forms.Form):
    """One dose of a draft plan: the final dose and, when the policy says so, why."""

    final_mg = forms.DecimalField(
        label="Final dose (mg)", max_digits=8, decimal_places=1, min_value=Decimal("0.1")
    )
    adjustment_reason = BoundedTextField(label="Reason for adjustment", rows=2)

    def __init__(self, *args, dose: PlanDose, **kwargs):
        super().__init__(*args, prefix=f"dose-{dose.pk}", **kwargs)
        self.dose = dose
        what = f"{vocabulary.drug_name(dose.drug)} ({vocabulary.phase_label(dose.phase).lower()})"
        self.fields["final_mg"].label = f"Final dose of {what}, mg"
        if dose.clinician_sets_dose:
            self.fields["final_mg"].help_text = f"No dose is proposed: {dose.basis}"
            self.fields["adjustment_reason"].label = f"Why this dose of {what}"
            self.fields["adjustment_reason"].help_text = (
                f"Required: the reference asks the oncologist to justify it. At most {FREE_TEXT_MAX_CHARS} characters."
            )
            return
        self.fields["final_mg"].help_text = f"Calculated: {dose.calculated_mg} mg ({dose.basis or 'fixed dose'})."
        self.fields["adjustment_reason"].label = f"Reason for adjusting {what}"
        self.fields["adjustment_reason"].help_text = (
            f"Required when the final dose differs from the calculated dose by more than "
            f"{settings.DOSE_ROUNDING_PERCENT}%. At most {FREE_TEXT_MAX_CHARS} characters."
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        final_mg = cleaned.get("final_mg")
        if final_mg is None:
            return cleaned
        if self.dose.clinician_sets_dose:
            if not cleaned.get("adjustment_reason", "").strip():
                self.add_error("adjustment_reason", "Give the reason for this dose: no dose is validated here.")
            return cleaned
        decision = rounding_decision(self.dose.calculated_mg, final_mg)
        if decision.reason_required and not cleaned.get("adjustment_reason", "").strip():
            self.add_error(
                "adjustment_reason",
                f"{final_mg} mg is {abs(decision.deviation_percent):.1f}% from the calculated "
                f"{self.dose.calculated_mg} mg (more than {settings.DOSE_ROUNDING_PERCENT}%): give a reason.",
            )
        return cleaned


def dose_forms(doses: list[PlanDose], data=None) -> list[DoseForm]:
    return [
        DoseForm(data, dose=dose, initial={"final_mg": dose.final_mg, "adjustment_reason": dose.adjustment_reason})
        for dose in doses
    ]


class ApprovePlanForm(forms.Form):
    """Approval is a signature: the signed-in oncologist re-enters their password."""

    not_done = "The plan was not approved."
    signs = "sign this plan"

    password = forms.CharField(
        label="Your password (signature)",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, request: HttpRequest, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.fields["password"].help_text = (
            f"Re-enter your password to {self.signs}. Signing records your name and the time."
        )

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        user = self.request.user
        signer = authenticate(self.request, username=user.get_username(), password=password)
        if signer is None or signer.pk != user.pk:
            raise forms.ValidationError(f"That password is not correct. {self.not_done}")
        return password


class VerifyPlanForm(ApprovePlanForm):
    """Verification is the second signature: the verifier re-enters their password."""

    not_done = "The plan was not verified."


class ResumePlanForm(ApprovePlanForm):
    """Resuming a held plan unchanged: the oncologist's reason and signature."""

    not_done = "The plan was not resumed."
    field_order = ["reason", "password"]
    reason = BoundedTextField(label="Why the plan can continue unchanged", rows=2, required=True)


class ReturnPlanForm(forms.Form):
    reason = BoundedTextField(label="Why the plan goes back to the oncologist", rows=2, required=True)


class CancelPlanForm(forms.Form):
    reason = BoundedTextField(label="Reason for cancelling", rows=2, required=True)


def _shown(value) -> str:
    return "blank" if value in (None, "") else str(value)


def draft_changes(submitted: DraftPlanForm, doses: list["DoseForm"], saved: TreatmentPlan) -> list[Change]:
    """Each value of a valid submitted draft that differs from what is saved now."""
    changes = []
    if submitted.cleaned_data["start_date"] != saved.start_date:
        changes.append(Change("Start date", old=_shown(saved.start_date), new=_shown(submitted.cleaned_data["start_date"])))
    if submitted.cleaned_data["clinician_notes"] != saved.clinician_notes:
        changes.append(Change("Clinician notes", old=_shown(saved.clinician_notes),
                              new=_shown(submitted.cleaned_data["clinician_notes"])))
    stored = {dose.pk: dose for dose in saved.doses.all()}
    for form in doses:
        dose = stored.get(form.dose.pk)
        if dose is None:
            continue
        what = f"{dose.drug} ({dose.phase})"
        if form.cleaned_data["final_mg"] != dose.final_mg:
            changes.append(Change(f"Final dose of {what}", old=f"{dose.final_mg} mg", new=f"{form.cleaned_data['final_mg']} mg"))
        if form.cleaned_data["adjustment_reason"].strip() != dose.adjustment_reason:
            changes.append(Change(f"Reason for adjusting {what}", old=_shown(dose.adjustment_reason),
                                  new=_shown(form.cleaned_data["adjustment_reason"].strip())))
    return changes
