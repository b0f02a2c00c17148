"""Pages: a plan's administration record with its re-flowed schedule, the form for one administration, the oral
supply per cycle, and the oncologist's confirmation of a proposed re-load (D8)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import capfirst
from django.views.decorators.http import require_POST

from her2app.accounts.access import role_required
from her2app.administration import reductions
from her2app.administration.forms import AdministrationForm, ReductionForm, SupplyForm
from her2app.administration.models import Administration, NotGivable, SupplyRecord
from her2app.administration.schedule import (
    as_given,
    calendar_schedule,
    confirm_reload,
    plan_schedule,
    scheduled_on,
    supply_is_due,
)
from her2app.monitoring.readiness import day_readiness
from her2app.plans import documents
from her2app.plans.models import NotAdministrable, PlanState, TreatmentPlan
from regimens.reductions import diarrhoea_choices
from regimens.vocabulary import drug_name

VISIBLE_STATES = (PlanState.VERIFIED, PlanState.ON_HOLD)


def _plan(pk: int) -> TreatmentPlan:
    plan = get_object_or_404(TreatmentPlan.objects.select_related("case__patient"), pk=pk)
    if plan.state not in VISIBLE_STATES:
        raise Http404("No such plan.")  # nurses know only verified plans
    return plan


@role_required("administration.view_administration")
def plan_page(request: HttpRequest, plan_pk: int) -> HttpResponse:
    plan, today = _plan(plan_pk), timezone.localdate()
    context = {
        "plan": plan,
        "today": today,
        "schedule": plan_schedule(plan, today),
        "records": plan.administrations.select_related("recorded_by", "checked_by"),
        "supplies": plan.supplies.select_related("recorded_by"),
        "can_record": request.user.has_perm("administration.add_administration") and plan.is_verified,
        "can_confirm": request.user.has_perm("administration.confirm_reload") and plan.is_verified,
    }
    return render(request, "administration/plan.html", context)


def _save(form: AdministrationForm, plan, drug, cycle, day, on, user) -> str | None:
    """Save the entry; the model's refusal as a sentence, or None."""
    entry = form.save(commit=False)
    entry.plan, entry.drug, entry.cycle, entry.day, entry.scheduled_on = plan, drug, cycle, day, on
    entry.recorded_by, entry.checked_by = user, form.cleaned_data.get("checker")
    try:
        with transaction.atomic():
            entry.save()
            if entry.moves_schedule:
                documents.request_documents(plan, user)  # re-issued with the re-flowed schedule
    except (NotGivable, NotAdministrable) as refusal:
        return str(refusal)
    except IntegrityError:
        return "This dose is already recorded as given."
    return None


@role_required("administration.view_administration", "administration.add_administration")
def record_page(request: HttpRequest, plan_pk: int, drug: str, cycle: int, day: int) -> HttpResponse:
    plan, today = _plan(plan_pk), timezone.localdate()
    schedule = calendar_schedule(plan, today)  # re-flowed once, for the dose and its readiness checklist
    on = scheduled_on(schedule, drug, cycle, day)
    if on is None:
        raise Http404("The plan does not give this dose.")
    upcoming = schedule.find(drug, cycle, day)
    initial = {"given_on": on,
               "dose_mg": upcoming.dose.give_mg if upcoming else None, "status": Administration.Status.GIVEN}
    form = AdministrationForm(request.POST or None, request=request, initial=initial)
    refusal = None
    if request.method == "POST" and form.is_valid():
        refusal = _save(form, plan, drug, cycle, day, on, request.user)
        if refusal is None:
            messages.success(request, f"{capfirst(drug_name(drug))} cycle {cycle} day {day} recorded.")
            return redirect("administration:plan", plan_pk=plan.pk)
    context = {"plan": plan, "drug": drug, "cycle": cycle, "day": day, "scheduled_on": on, "upcoming": upcoming,
               "readiness": day_readiness(plan, on, read={today: as_given(schedule)}), "form": form, "refusal": refusal,
               "history": plan.administrations.filter(drug=drug, cycle=cycle, day=day)}
    return render(request, "administration/record.html", context, status=400 if request.method == "POST" else 200)


@role_required("administration.view_administration", "administration.add_supplyrecord")
def supply_page(request: HttpRequest, plan_pk: int, drug: str, cycle: int) -> HttpResponse:
    plan = _plan(plan_pk)
    recorded = SupplyRecord.objects.filter(plan=plan, drug=drug, cycle=cycle).first()
    if recorded is None and not supply_is_due(plan_schedule(plan, timezone.localdate()), drug, cycle):
        raise Http404("The plan has no oral supply of this drug due for this cycle.")
    form = SupplyForm(request.POST or None, initial={"dispensed_on": timezone.localdate()})
    refusal = None
    if request.method == "POST" and form.is_valid():
        supply = form.save(commit=False)
        supply.plan, supply.drug, supply.cycle, supply.recorded_by = plan, drug, cycle, request.user
        try:
            with transaction.atomic():
                supply.save()
        except NotAdministrable as error:
            refusal = str(error)
        except IntegrityError:
            refusal = f"The cycle-{cycle} supply is already recorded."
        else:
            messages.success(request, f"{capfirst(drug_name(drug))} cycle {cycle} supply recorded.")
            return redirect("administration:plan", plan_pk=plan.pk)
    context = {"plan": plan, "drug": drug, "cycle": cycle, "form": form, "refusal": refusal,
               "recorded": recorded}
    return render(request, "administration/supply.html", context, status=400 if request.method == "POST" else 200)


@require_POST
@role_required("administration.confirm_reload")
def confirm_reload_view(request: HttpRequest, plan_pk: int, drug: str, cycle: int, day: int) -> HttpResponse:
    plan = _plan(plan_pk)
    if not plan.is_verified:
        raise PermissionDenied
    try:
        with transaction.atomic():
            confirm_reload(plan_schedule(plan, timezone.localdate()), drug, cycle, day, request.user)
            documents.request_documents(plan, request.user)  # re-issued with the confirmed re-load dose
    except (ValueError, ValidationError, IntegrityError):
        messages.error(request, "No re-load awaits confirmation for this dose now.")
    else:
        messages.success(request, f"Re-load of {drug_name(drug)} confirmed.")
    return redirect("administration:plan", plan_pk=plan.pk)


def _tucatinib_choices(plan: TreatmentPlan):
    tucatinib = plan.doses.filter(drug="tucatinib").first()
    return diarrhoea_choices(float(tucatinib.final_mg)) if tucatinib and tucatinib.final_mg else ()


@role_required("plans.change_treatmentplan", "administration.view_administration")
def reduce_page(request: HttpRequest, plan_pk: int) -> HttpResponse:
    """The oncologist reduces a dose by its label step: a new draft version, signed and verified again."""
    plan = _plan(plan_pk)
    offers, choices = reductions.offers(plan), _tucatinib_choices(plan)
    form = ReductionForm(request.POST or None, offers=offers, diarrhoea_choices=choices)
    refusal = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            revision = reductions.reduce_dose(plan, request.user, data["drug"], data["reason"],
                                              data["diarrhoea_rule"])
        except ValueError as error:
            refusal = str(error)
        else:
            messages.success(request, f"Version {revision.version} created with the reduced dose: sign it, then the "
                             "pharmacist verifies it again.")
            return redirect("plans:detail", pk=revision.pk)
    context = {"plan": plan, "offers": offers, "form": form, "refusal": refusal}
    return render(request, "administration/reduce.html", context, status=400 if request.method == "POST" else 200)
