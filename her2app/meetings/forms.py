from django import forms
from django.contrib.auth import get_user_model

from her2app.accounts.people import PersonChoiceField
from her2app.cases.models import Case
from her2app.meetings.models import AgendaItem, Meeting, Outcome
from her2app.plans.forms import ApprovePlanForm, BoundedTextField


class MeetingForm(forms.ModelForm):
    chair = PersonChoiceField(
        queryset=get_user_model().objects.filter(is_active=True, groups__isnull=False).distinct()
        .order_by("last_name", "first_name", "username"),
        required=False, empty_label="Choose the chair", help_text="The chair signs the minutes off",
    )
    present = BoundedTextField(label="Present", help_text="One name per line.", rows=4)
    apologies = BoundedTextField(label="Apologies", help_text="One name per line.", rows=2)

    class Meta:
        model = Meeting
        fields = ["date", "starts_at", "title", "location", "chair", "present", "apologies"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }


class CaseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, case: Case) -> str:
        return f"Case {case.pk}: {case.patient.full_name} ({case.patient.mrn}), {case.get_status_display().lower()}"


class AddCaseForm(forms.Form):
    case = CaseChoiceField(queryset=Case.objects.none(), empty_label="Choose a case")
    question = forms.CharField(
        label="Question for the board", max_length=300, required=False,
        help_text="Optional: what the board is asked to decide",
    )
    presenter = forms.CharField(max_length=200, required=False, help_text="Who presents the case")
    pathology_summary = BoundedTextField(label="Pathology summary", rows=2)
    imaging_summary = BoundedTextField(label="Imaging summary", rows=2)

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = (
            Case.objects.exclude(status=Case.Status.CLOSED)
            .exclude(agenda_items__meeting=meeting)
            .select_related("patient")
            .order_by("patient__family_name", "patient__given_name", "pk")
        )


class PlanChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, plan) -> str:
        return f"Version {plan.version}: {plan.regimen_label} ({plan.get_state_display().lower()})"


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome", choices=Outcome.choices, widget=forms.RadioSelect,
        error_messages={"required": "Choose the board's outcome for this case."},
    )
    plan = PlanChoiceField(
        queryset=None, required=False, empty_label="No plan linked",
        label="Treatment plan agreed", help_text="Link the case's plan the board agreed on, if there is one",
    )
    decision_text = BoundedTextField(
        label="Minutes", rows=4, help_text="What the board decided, in words (required when no plan is linked).",
    )

    def __init__(self, *args, item: AgendaItem, **kwargs):
        super().__init__(*args, **kwargs)
        plans = item.case.plans.exclude(state="cancelled").order_by("-version")
        if plans.exists():
            self.fields["plan"].queryset = plans
        else:
            del self.fields["plan"]  # nothing to link: the decision is recorded in words

    def clean(self) -> dict:
        cleaned = super().clean()
        if not cleaned.get("plan") and not (cleaned.get("decision_text") or "").strip():
            self.add_error("decision_text", "Write the decision, or link the plan the board agreed on.")
        return cleaned


class SignOffForm(ApprovePlanForm):
    """The chair signs the minutes off by re-entering their password."""

    not_done = "The minutes were not signed off."
    signs = "sign the minutes off"
