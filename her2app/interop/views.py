from django.contrib import messages
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from her2app.accounts.access import role_required
from her2app.cases.clinical import run_for_case
from her2app.cases.models import Case
from her2app.interop import actions
from her2app.interop.bundle_reader import BundleError
from her2app.interop.fhir import build_case_bundle
from her2app.interop.forms import BundleImportForm
from her2app.plans.models import SIGNED_STATES, PlanState, TreatmentPlan

FHIR_JSON = "application/fhir+json"


def _case(pk: int) -> Case:
    return get_object_or_404(Case.objects.select_related("patient", "profile", "clinical"), pk=pk)


def plan_for_export(case: Case, requested: str | None) -> TreatmentPlan | None:
    """The plan named in ?plan= (it must belong to this case), else the signed plan
    in force (approved, verified or on hold), else the newest draft; superseded and cancelled plans only on request."""
    plans = case.plans.prefetch_related("doses")
    if requested:
        if not requested.isdigit():
            raise Http404("No such plan for this case.")
        return get_object_or_404(plans, pk=int(requested))
    for states in (SIGNED_STATES, (PlanState.DRAFT,)):
        plan = plans.filter(state__in=states).order_by("-version").first()
        if plan is not None:
            return plan
    return None


def engine_result_for(case: Case) -> dict | None:
    """The engine's reading of the case's results as they are now (HER2 status for
    the Observation must match the components exported beside it)."""
    return run_for_case(case).result


@role_required("cases.view_case")
def case_bundle(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(pk)
    plan = plan_for_export(case, request.GET.get("plan"))
    bundle = build_case_bundle(case, plan, engine_result_for(case))
    response = HttpResponse(bundle.model_dump_json(indent=2), content_type=FHIR_JSON)
    suffix = f"-plan-v{plan.version}" if plan else ""
    response["Content-Disposition"] = f'attachment; filename="case-{case.pk}{suffix}-fhir-r4.json"'
    response["Cache-Control"] = "no-store"
    return response


@role_required("cases.add_case", "cases.add_patient")
def import_bundle(request: HttpRequest) -> HttpResponse:
    """Start a draft case from an EHR's FHIR bundle; the wizard opens with every imported value marked."""
    form = _import_form(request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = actions.import_case(data["reading"], request.user, data["raw"], data["filename"])
        except BundleError as error:
            form.add_error(data["source_field"], error.message)
        else:
            messages.success(request, "Case started from the FHIR bundle. Check each imported value; saving a step "
                                      "confirms its values.")
            return redirect(reverse("cases:step", args=[case.pk, "patient"]))
    return render(request, "interop/import.html", {"form": form}, status=400 if form.errors else 200)


def _import_form(request: HttpRequest) -> BundleImportForm:
    if request.method != "POST":
        return BundleImportForm()
    try:
        return BundleImportForm(request.POST, request.FILES)
    except RequestDataTooBig:
        return BundleImportForm({}, too_big=True)
