"""Pages: the case's measurement series (view and add), and the readiness checklist of the administration days
of a plan under way (with the oncologist's overrides and go-aheads)."""

from dataclasses import dataclass
from datetime import date

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from her2app.accounts.access import role_required
from her2app.cases.models import Case
from her2app.monitoring import series
from her2app.monitoring.holds import after_entry
from her2app.plans.holds import hold_message
from her2app.monitoring.forms import GoAheadForm, LiverTestsForm, MeasurementForm, OverrideForm, PregnancyForm
from her2app.monitoring.lvef import lvef_status
from her2app.monitoring.models import LIVER_KINDS, Kind, Measurement, ReadinessDecision
from her2app.monitoring.readiness import (
    TREATING_STATES,
    CheckedLine,
    administration_days,
    day_readiness,
    policy,
    record_decision,
)
from her2app.plans.models import TreatmentPlan

# --- the series --------------------------------------------------------------
def _series_forms(case: Case, data=None, which: str | None = None) -> dict[str, forms.BaseForm]:
    """Every add form, unbound except `which` (bound to `data`)."""
    def bound(name):
        return data if name == which else None

    built = {
        "weight": MeasurementForm(bound("weight"), kind=Kind.WEIGHT, prefix="weight",
                                  instance=Measurement(case=case)),
        "lvef": MeasurementForm(bound("lvef"), kind=Kind.LVEF, prefix="lvef", instance=Measurement(case=case)),
        "liver": LiverTestsForm(bound("liver"), prefix="liver"),
    }
    if series.pregnancy_applies(case):
        built["pregnancy"] = PregnancyForm(bound("pregnancy"), prefix="pregnancy")
    return built


def _save(which: str, form: forms.BaseForm, case: Case, user) -> list[TreatmentPlan]:
    """Record the entry (the latest becomes the case's current value); returns the plans a new LVEF put on hold (M1)."""
    with transaction.atomic():
        if which == "liver":
            for measurement in form.measurements(case, user):
                measurement.full_clean()
                measurement.save()
            return []
        entry = form.save(commit=False)
        entry.case, entry.recorded_by = case, user
        entry.save()
        return after_entry(entry, user)


@role_required("monitoring.view_measurement")
def series_page(request: HttpRequest, case_pk: int) -> HttpResponse:
    case = get_object_or_404(Case.objects.select_related("patient"), pk=case_pk)
    which = request.POST.get("form") if request.method == "POST" else None
    if which is not None and not request.user.has_perm("monitoring.add_measurement"):
        raise PermissionDenied
    add_forms = _series_forms(case, request.POST, which)
    if which is not None:
        form = add_forms.get(which)
        if form is None:
            raise Http404("No such series.")
        if form.is_valid():
            held = _save(which, form, case, request.user)
            messages.success(request, "Measurement recorded.")
            for plan in held:
                messages.warning(request, hold_message(plan))
            return redirect(f"{reverse('monitoring:series', args=[case.pk])}#series-{which}")
    context = {
        "case": case,
        "forms": add_forms,
        "weights": series.measurements(case, Kind.WEIGHT),
        "lvefs": series.measurements(case, Kind.LVEF),
        "liver_tests": [entry for kind in LIVER_KINDS for entry in series.measurements(case, kind)],
        "pregnancy_applies": series.pregnancy_applies(case),
        "pregnancy_statuses": series.pregnancy_statuses(case),
        "lvef": lvef_status(case),
        "can_add": request.user.has_perm("monitoring.add_measurement"),
        "failed": which,
    }
    return render(request, "monitoring/series.html", context, status=400 if which else 200)


# --- readiness ---------------------------------------------------------------
def _treating_plan(pk: int) -> TreatmentPlan:
    plan = get_object_or_404(TreatmentPlan.objects.select_related("case__patient", "supersedes"), pk=pk)
    if plan.state not in TREATING_STATES:
        raise Http404("No such plan.")  # only plans under way are given
    return plan


@role_required("monitoring.view_readinessdecision")
def plan_days(request: HttpRequest, plan_pk: int) -> HttpResponse:
    plan = _treating_plan(plan_pk)
    context = {"plan": plan, "days": administration_days(plan).items(), "lvef": lvef_status(plan.case)}
    return render(request, "monitoring/plan_days.html", context)


@dataclass
class LineRow:
    """One checklist line with the form that can lift its block, if the user may use it."""

    checked: CheckedLine
    form: forms.Form | None


def _decision_form(checked: CheckedLine, user, data=None) -> forms.Form | None:
    if not checked.blocks_given:
        return None
    prefix = checked.key.replace(":", "-")
    if checked.line.resolution == "override" and user.has_perm("monitoring.override_readiness"):
        return OverrideForm(data, prefix=prefix)
    if checked.line.resolution == "go_ahead" and user.has_perm("monitoring.record_go_ahead"):
        return GoAheadForm(data, prefix=prefix, user=user)
    return None


@role_required("monitoring.view_readinessdecision")
def day_page(request: HttpRequest, plan_pk: int, day: date) -> HttpResponse:
    plan = _treating_plan(plan_pk)
    readiness = day_readiness(plan, day)
    if readiness is None:
        raise Http404("The plan gives nothing on this day.")
    posted = request.POST.get("line") if request.method == "POST" else None
    rows = [LineRow(checked, _decision_form(checked, request.user, request.POST if checked.key == posted else None))
            for checked in readiness.lines]
    if posted is not None:
        row = next((row for row in rows if row.checked.key == posted), None)
        if row is None or row.form is None or request.POST.get("seen") != row.checked.line.text:
            # The decision is bound to the data shown: new data since the page was opened needs a fresh look.
            messages.error(request, "That line has changed or needs no decision now: check it again below.")
            return redirect("monitoring:day", plan_pk=plan.pk, day=day)
        if row.form.is_valid():
            data = row.form.cleaned_data
            record_decision(readiness, row.checked, oncologist=data.get("oncologist", request.user),
                            reason=data["reason"], recorded_by=request.user)
            messages.success(request, f"{ReadinessDecision.Decision(row.checked.line.resolution).label} recorded.")
            return redirect("monitoring:day", plan_pk=plan.pk, day=day)
    context = {"plan": plan, "readiness": readiness, "rows": rows, "policy": policy(), "posted": posted}
    return render(request, "monitoring/day.html", context, status=400 if posted else 200)
