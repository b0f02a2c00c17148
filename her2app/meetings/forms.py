from django import forms

from her2app.cases.models import Case
from her2app.meetings.models import AgendaItem, Meeting
from her2app.plans.forms import BoundedTextField


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["date", "title", "location"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class CaseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, case: Case) -> str:
        return f"Case {case.pk}: {case.patient.full_name} ({case.patient.mrn}), {case.get_status_display().lower()}"


class AddCaseForm(forms.Form):
    case = CaseChoiceField(queryset=Case.objects.none(), empty_label="Choose a case")
    question = forms.CharField(
        label="Question for the board", max_length=300, required=False,
        help_text="Optional: what the board is asked to decide",
    )

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
    plan = PlanChoiceField(
        queryset=None, required=False, empty_label="No plan linked",
        label="Treatment plan agreed", help_text="Link the case's plan the board agreed on, if there is one",
    )
    decision_text = BoundedTextField(
        label="Decision", rows=4, help_text="What the board decided, in words (required when no plan is linked).",
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
