from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.models import User

from her2app.accounts import roles
from her2app.accounts.people import person_name
from her2app.administration.models import Administration, SupplyRecord

# What only a given dose records, emptied.
GIVEN_ONLY = {"given_on": None, "dose_mg": None, "started_at": None, "ended_at": None, "batch": "", "checker": None}


class AdministrationForm(forms.ModelForm):
    """What the nurse records for one scheduled administration. "Given" needs a second nurse's independent
    check: a different nurse chooses their name and re-enters their password."""

    checker = forms.ModelChoiceField(queryset=User.objects.none(), required=False,
                                     label="Second nurse (independent check)")
    checker_password = forms.CharField(label="Second nurse's password", required=False, strip=False,
                                       widget=forms.PasswordInput(attrs={"autocomplete": "off"}))

    class Meta:
        model = Administration
        fields = ["status", "given_on", "dose_mg", "started_at", "ended_at", "batch", "reaction_grade",
                  "reaction_note", "reason", "delayed_until"]
        widgets = {
            "status": forms.RadioSelect,
            "given_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "delayed_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "started_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "ended_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "reaction_note": forms.Textarea(attrs={"rows": 2}),
            "reason": forms.Textarea(attrs={"rows": 2}),
        }

    # The fields below the status, in the groups the page shows them in.
    GROUPS = (
        ("Given: the dose", ("given_on", "dose_mg", "started_at", "ended_at", "batch", "reaction_grade",
                             "reaction_note")),
        ("Given: the second nurse's independent check", ("checker", "checker_password")),
        ("Held or delayed", ("reason", "delayed_until")),
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.fields["status"].choices = Administration.Status.choices  # no blank radio
        self.fields["checker"].queryset = (User.objects.filter(groups__name=roles.NURSE, is_active=True)
                                           .exclude(pk=request.user.pk).order_by("last_name", "username"))
        self.fields["checker"].label_from_instance = person_name

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(legend, [self[name] for name in names]) for legend, names in self.GROUPS]

    def clean(self):
        data = super().clean()
        if data.get("status") != Administration.Status.GIVEN:
            # The form opens with the due date and dose filled in for "given": a held or delayed entry keeps none.
            data.update(GIVEN_ONLY)
            return data
        checker, password = data.get("checker"), data.get("checker_password")
        if checker is None:
            self.add_error("checker", "A given dose needs a second nurse's independent check.")
        elif not password or authenticate(self.request, username=checker.get_username(), password=password) is None:
            self.add_error("checker_password", "That password is not correct for the second nurse.")
        return data


class SupplyForm(forms.ModelForm):
    class Meta:
        model = SupplyRecord
        fields = ["tablets", "dispensed_on"]
        widgets = {"dispensed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class ReductionForm(forms.Form):
    """A dose reduction by the next label step, with the reason; D2's diarrhoea rules offered for tucatinib."""

    drug = forms.ChoiceField(label="Drug to reduce")
    diarrhoea_rule = forms.ChoiceField(label="Tucatinib diarrhoea rule (D2), if it applies", required=False,
                                       widget=forms.RadioSelect)
    reason = forms.CharField(label="Reason for the reduction", widget=forms.Textarea(attrs={"rows": 2}),
                             max_length=2000)

    def __init__(self, *args, offers, diarrhoea_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["drug"].choices = [(offer.drug, offer.step.text) for offer in offers
                                       if offer.step.action == "reduce"]
        self.fields["diarrhoea_rule"].choices = [("", "Not a D2 diarrhoea rule")] + [
            (choice.code, choice.text) for choice in diarrhoea_choices]
