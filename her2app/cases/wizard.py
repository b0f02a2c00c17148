"""The case wizard: its steps in order, and one editor per step that binds the
step's form, saves it, and explains what changed under an edit conflict."""

from dataclasses import dataclass
from typing import Any, Protocol

from django import forms
from django.http import QueryDict
from django.urls import reverse

from her2app.cases.forms import (
    FitnessForm,
    PatientForm,
    TumourForm,
    VersionForm,
    line_formset_class,
)
from her2app.cases import actions
from her2app.cases.changes import Change
from her2app.cases.clinical import run_for_case
from her2app.cases.models import MAX_TREATMENT_LINES, Case, ClinicalStatus, MolecularProfile, TreatmentLine
from regimens.vocabulary import AGENT_LABELS

LINE_PREFIX = "lines"


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    template: str


STEPS: tuple[Step, ...] = (
    Step("patient", "Patient", "cases/steps/fieldsets.html"),
    Step("tumour", "Tumour and molecular profile", "cases/steps/fieldsets.html"),
    Step("history", "Treatment history", "cases/steps/history.html"),
    Step("fitness", "Fitness and safety", "cases/steps/fieldsets.html"),
    Step("review", "Review", "cases/steps/review.html"),
)
STEP_BY_SLUG = {step.slug: step for step in STEPS}


def neighbour(step: Step, offset: int) -> Step | None:
    index = STEPS.index(step) + offset
    return STEPS[index] if 0 <= index < len(STEPS) else None


@dataclass(frozen=True)
class ProgressItem:
    """One step in the wizard's progress list."""

    title: str
    url: str  # empty for the step on screen, and for every step before the case exists
    current: bool
    recorded: bool


def progress(case: Case | None, step: Step) -> list[ProgressItem]:
    """The progress list of the wizard page showing `step`: each step, whether it is the one on screen,
    whether anything is recorded for it, and the link to it."""
    done = completed_steps(case)
    return [
        ProgressItem(
            title=each.title,
            url=reverse("cases:step", args=[case.pk, each.slug]) if case and each != step else "",
            current=each == step,
            recorded=each.slug in done,
        )
        for each in STEPS
    ]


def completed_steps(case: Case | None) -> set[str]:
    """Steps with something recorded: a step saved empty is not "(recorded)".

    Reads the case's profile and clinical records as the page fetched them (select_related), not again.
    """
    if case is None:
        return set()
    done = {"patient"}
    if has_values(getattr(case, "profile", None), unknown=("unknown",)):
        done.add("tumour")
    if case.treatment_lines.exists():
        done.add("history")
    if has_values(getattr(case, "clinical", None)):
        done.add("fitness")
    if case.status != Case.Status.DRAFT:
        done.add("review")
    return done


def has_values(record, unknown: tuple = ()) -> bool:
    """Whether a step's saved record holds any value other than blank, null or "unknown".

    An unsaved record (a step's form not yet saved, which may hold refused input) records nothing.
    """
    if record is None or record._state.adding:
        return False
    names = [field.attname for field in record._meta.concrete_fields if not field.primary_key
             and not field.is_relation]
    return any(getattr(record, name) not in (None, "", *unknown) for name in names)


@dataclass(frozen=True)
class FieldError:
    label: str
    message: str
    anchor: str


def display(field: forms.Field, value: Any) -> str:
    if value in (None, "", []):
        return "blank"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    labels = {str(key): label for key, label in getattr(field, "choices", [])}
    if isinstance(value, list):
        return ", ".join(labels.get(str(item), str(item)) for item in value)
    return labels.get(str(value), str(value))


NOT_COMPARED = ("version", "confirm_weight")  # form mechanics, not case data


def form_changes(submitted: forms.Form, saved: forms.Form) -> list[Change]:
    """Compare a valid submitted form with an unbound form showing the DB values."""
    changes = []
    for name, field in submitted.fields.items():
        if name in NOT_COMPARED:
            continue
        yours, current = submitted.cleaned_data.get(name), saved[name].initial
        if _normalised(yours) != _normalised(current):
            changes.append(Change(str(field.label or name), old=display(field, current), new=display(field, yours)))
    return changes


def _normalised(value: Any) -> Any:
    if value in (None, "", []):
        return None
    if isinstance(value, list):
        return sorted(value)
    return value


def form_errors(form: forms.BaseForm, anchor_prefix: str = "") -> list[FieldError]:
    errors = []
    for name, messages in form.errors.items():
        if name == "__all__" or name not in form.fields or form.fields[name].widget.is_hidden:
            errors += [FieldError("Form", message, "") for message in messages]
            continue
        bound = form[name]
        label = f"{anchor_prefix}{bound.label}"
        errors += [FieldError(label, message, _anchor(bound)) for message in messages]
    return errors


def _anchor(bound: forms.BoundField) -> str:
    """The id a summary link points at: the first radio or checkbox of a group, else the field."""
    if isinstance(bound.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"{bound.auto_id}_0"
    return bound.auto_id


class SingleFormEditor:
    """A step edited through one ModelForm (or a version-only form)."""

    form: forms.BaseForm

    def __init__(self, case: Case, data: QueryDict | None = None):
        self.case = case
        self.form = self.build_form(case, data)

    def build_form(self, case: Case, data: QueryDict | None) -> forms.BaseForm:
        raise NotImplementedError

    @property
    def expected_version(self) -> int:
        return self.form.cleaned_data["version"]

    def is_valid(self) -> bool:
        return self.form.is_valid()

    def save(self) -> None:
        self.form.save()

    def changes_from(self, fresh: "SingleFormEditor") -> list[Change]:
        return form_changes(self.form, fresh.form)

    def errors(self) -> list[FieldError]:
        return form_errors(self.form)


class PatientEditor(SingleFormEditor):
    def build_form(self, case, data):
        return PatientForm(data, instance=case.patient, initial={"version": case.version})


class TumourEditor(SingleFormEditor):
    def build_form(self, case, data):
        profile = MolecularProfile.objects.filter(case=case).first() or MolecularProfile(case=case)
        return TumourForm(data, instance=profile, case=case, initial={"version": case.version})


class FitnessEditor(SingleFormEditor):
    def build_form(self, case, data):
        clinical = ClinicalStatus.objects.filter(case=case).first() or ClinicalStatus(case=case)
        return FitnessForm(data, instance=clinical, initial={"version": case.version})

    def save(self) -> None:
        clinical = self.form.save(commit=False)
        clinical.case = self.case
        clinical.save()


class ReviewEditor(SingleFormEditor):
    def build_form(self, case, data):
        return VersionForm(data, initial={"version": case.version})

    def save(self) -> None:
        run = run_for_case(self.case)
        # An invalid case is refused before saving (views._refuse_send); result None keeps it honest if data moved.
        actions.send_for_review(self.case, run.engine_input, run.result)


class HistoryEditor:
    """Treatment lines as a formset; lines can be added and removed in place."""

    def __init__(self, case: Case, data: QueryDict | None = None):
        self.case = case
        lines = TreatmentLine.objects.filter(case=case).order_by("line_number", "pk")
        formset_class = line_formset_class(extra=0 if data is not None or lines.exists() else 1)
        self.form = VersionForm(data, initial={"version": case.version})
        self.formset = formset_class(data, queryset=lines, prefix=LINE_PREFIX)

    @classmethod
    def with_line_added(cls, case: Case, data: QueryDict) -> "HistoryEditor":
        data = data.copy()
        total_key = f"{LINE_PREFIX}-TOTAL_FORMS"
        data[total_key] = str(_as_count(data.get(total_key)) + 1)
        return cls(case, data)

    @classmethod
    def with_line_removed(cls, case: Case, data: QueryDict, prefix: str) -> "HistoryEditor":
        data = data.copy()
        if prefix.startswith(f"{LINE_PREFIX}-"):
            data[f"{prefix}-DELETE"] = "on"
        return cls(case, data)

    @property
    def expected_version(self) -> int:
        return self.form.cleaned_data["version"]

    def is_valid(self) -> bool:
        return self.form.is_valid() & self.formset.is_valid()

    def save(self) -> None:
        self.formset.save_in_order(self.case)

    def changes_from(self, fresh: "HistoryEditor") -> list[Change]:
        yours = [_line_summary(form.cleaned_data) for form in self._kept_forms()]
        saved = [_line_summary(form.initial) for form in fresh.formset.initial_forms]
        changes = []
        for number in range(1, max(len(yours), len(saved)) + 1):
            mine = yours[number - 1] if number <= len(yours) else "no line"
            theirs = saved[number - 1] if number <= len(saved) else "no line"
            if mine != theirs:
                changes.append(Change(f"Treatment line {number}", old=theirs, new=mine))
        return changes

    def _kept_forms(self) -> list[forms.BaseForm]:
        return [form for form in self.visible_forms() if form.instance.pk or form.has_changed()]

    def visible_forms(self) -> list[forms.BaseForm]:
        return [form for form in self.formset.forms if not marked_deleted(form)]

    def removed_forms(self) -> list[forms.BaseForm]:
        return [form for form in self.formset.forms if marked_deleted(form)]

    def errors(self) -> list[FieldError]:
        errors = form_errors(self.form)
        errors += [FieldError("Treatment history", message, "") for message in self.formset.non_form_errors()]
        for number, form in enumerate(self.visible_forms(), start=1):
            errors += form_errors(form, anchor_prefix=f"Line {number}: ")
        return errors


def marked_deleted(form: forms.BaseForm) -> bool:
    return form.is_bound and bool(form["DELETE"].data)


def _as_count(value: str | None) -> int:
    try:
        return max(0, min(int(value or 0), MAX_TREATMENT_LINES - 1))
    except ValueError:
        return 0


def _line_summary(values: dict) -> str:
    agents = ", ".join(AGENT_LABELS.get(agent, agent) for agent in values.get("agents") or []) or "no agents"
    start, end = values.get("start_date"), values.get("end_date")
    dates = f" ({start or '?'} to {end or 'ongoing'})" if start or end else ""
    response = f", best response {values['best_response']}" if values.get("best_response") else ""
    stopped = f", stopped: {values['reason_stopped']}" if values.get("reason_stopped") else ""
    return f"{agents}{dates}{response}{stopped}"


class StepEditor(Protocol):
    """What the views need from a step's editor."""

    case: Case
    form: forms.BaseForm

    @property
    def expected_version(self) -> int: ...

    def is_valid(self) -> bool: ...

    def save(self) -> None: ...

    def changes_from(self, fresh: Any) -> list[Change]: ...

    def errors(self) -> list[FieldError]: ...


EDITORS: dict[str, type[StepEditor]] = {
    "patient": PatientEditor,
    "tumour": TumourEditor,
    "history": HistoryEditor,
    "fitness": FitnessEditor,
    "review": ReviewEditor,
}


def editor_for(step: Step, case: Case, data: QueryDict | None = None) -> StepEditor:
    return EDITORS[step.slug](case, data)


def with_version(data: QueryDict, version: int) -> QueryDict:
    data = data.copy()
    data["version"] = str(version)
    return data
