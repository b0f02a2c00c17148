"""Plan pages: choose a regimen, adjust and sign a draft, revise, cancel,
render and download the PDF, verify (or return) an approved plan, resume a
held one, and the worklists: the verifier's, the oncologist's plans on hold,
and the nurses' released plans."""


from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from her2app.accounts.access import role_required
from her2app.accounts.submit_once import is_repeat
from her2app.cases.models import Case
from her2app.cases.forms import VERSION_ERROR
from her2app.cases.clinical import run_for_case
from her2app.plans import actions, documents, holds, verification
from her2app.plans.options import override_reasons
from her2app.plans.content import plan_content
from her2app.plans.forms import (
    ApprovePlanForm,
    CancelPlanForm,
    ChooseRegimenForm,
    DraftPlanForm,
    DoseForm,
    ResumePlanForm,
    ReturnPlanForm,
    VerifyPlanForm,
    dose_forms,
    draft_changes,
    draft_form,
)
from her2app.plans.models import SIGNED_STATES, PlanDocument, PlanState, TreatmentPlan
from regimens import vocabulary

def _plan(pk: int) -> TreatmentPlan:
    return get_object_or_404(
        TreatmentPlan.objects.select_related("case__patient", "chosen_by", "approved_by", "supersedes"), pk=pk
    )


# --- choosing -------------------------------------------------------------
def _latest_plan_or_case(case: Case) -> HttpResponse:
    plan = case.plans.order_by("-version", "-pk").first()
    return redirect("plans:detail", pk=plan.pk) if plan else redirect("cases:detail", pk=case.pk)


@role_required("plans.add_treatmentplan")
def choose(request: HttpRequest, case_pk: int) -> HttpResponse:
    case = get_object_or_404(Case.objects.select_related("patient"), pk=case_pk)
    run = run_for_case(case)
    if not run.ok:
        return render(request, "plans/engine_error.html", {"case": case, "error": run.error}, status=422)
    engine_input, engine_output = run.input_and_result()
    if request.method == "POST" and is_repeat(request):
        return _latest_plan_or_case(case)  # a double-click: one draft
    form = ChooseRegimenForm(request.POST or None, engine_output=engine_output, case_version=case.version)
    if request.method == "POST" and form.is_valid():
        plan = actions.choose_option(
            case,
            request.user,
            engine_input,
            engine_output,
            regimen=form.cleaned_data["regimen"],
            start_date=form.cleaned_data["start_date"],
            override_reason=form.cleaned_data["override_reason"],
            clinician_notes=form.cleaned_data["clinician_notes"],
        )
        messages.success(request, f"Draft plan version {plan.version} created. Check the doses, then sign it.")
        return redirect("plans:detail", pk=plan.pk)
    options = [
        {**option, "override_reasons": override_reasons(engine_output, option["regimen"])}
        for option in vocabulary.ordered_options(engine_output.get("options", []))
    ]
    return render(
        request,
        "plans/choose.html",
        {"case": case, "form": form, "result": engine_output, "options": options},
        status=400 if form.errors else 200,
    )


# --- one plan -------------------------------------------------------------
def _detail_context(request: HttpRequest, plan: TreatmentPlan, **forms) -> dict:
    context = {
        **plan_content(plan),
        "documents": list(plan.documents.select_related("created_by")),
        "pdf": documents.pdf_status(plan),
        "transitions": list(plan.transitions.select_related("by")),
        "replaces": TreatmentPlan.objects.filter(case=plan.case, state__in=SIGNED_STATES).exclude(pk=plan.pk).first(),
        "approve_form": ApprovePlanForm(request=request),
        "cancel_form": CancelPlanForm(),
        "resume_form": ResumePlanForm(request=request),
        "may_verify": plan.is_approved and actions.may_verify(request.user),
    }
    context.update(forms)
    return context


def _detail_page(request: HttpRequest, plan: TreatmentPlan, status: int = 200, **forms) -> HttpResponse:
    return render(request, "plans/detail.html", _detail_context(request, plan, **forms), status=status)


def _to_plan(request: HttpRequest, plan: TreatmentPlan, level: int, message: str) -> HttpResponse:
    """Back to the plan page, saying what an action on it did (or why it was refused)."""
    messages.add_message(request, level, message)
    return redirect("plans:detail", pk=plan.pk)


def _already_approved(request: HttpRequest, plan: TreatmentPlan) -> HttpResponse:
    return _to_plan(request, plan, messages.INFO, f"Version {plan.version} was already approved; nothing changed.")


@role_required("plans.view_treatmentplan")
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, _plan(pk))


@role_required("plans.view_treatmentplan", "plans.change_treatmentplan")
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(pk)
    refusal = f"{plan.state_sentence}; revise it to change it."
    if not plan.is_draft and request.method != "POST":
        return _to_plan(request, plan, messages.ERROR, refusal)
    data = request.POST if request.method == "POST" else None
    form, doses = draft_form(plan, data), dose_forms(list(plan.doses.all()), data)
    if not plan.is_draft:
        form.is_valid()
        form.add_error(None, f"{refusal} Your values are shown below; nothing was saved.")
        return _render_edit(request, plan, form, doses)
    if data is None or not (form.is_valid() & all([dose.is_valid() for dose in doses])):
        return _render_edit(request, plan, form, doses)
    changes = [
        actions.DoseChange(dose.dose, dose.cleaned_data["final_mg"], dose.cleaned_data["adjustment_reason"].strip())
        for dose in doses
    ]
    try:
        actions.update_draft(
            plan, request.user, form.cleaned_data["edit_version"], form.cleaned_data["start_date"],
            form.cleaned_data["clinician_notes"], changes,
        )
    except actions.DraftConflict as conflict:
        return _render_conflict(request, conflict.plan, form, doses)
    except actions.PlanActionError as error:
        form.add_error(None, f"{error} Your values are shown below; nothing was saved.")
        return _render_edit(request, plan, form, doses)
    return _to_plan(request, plan, messages.SUCCESS, "Draft saved.")


def _render_edit(request: HttpRequest, plan: TreatmentPlan, form: DraftPlanForm, doses: list[DoseForm],
                 **extra) -> HttpResponse:
    if "edit_version" in form.errors:
        fresh = _with_edit_version(request, plan, form)
        for error in form.non_field_errors():
            fresh.add_error(None, error)
        form = fresh
    status = 200 if not form.is_bound else (409 if "conflict" in extra else 400)
    context = {"plan": plan, "draft_form": form, "dose_forms": doses, **extra}
    return render(request, "plans/edit.html", context, status=status)


def _with_edit_version(request: HttpRequest, plan: TreatmentPlan, form: DraftPlanForm) -> DraftPlanForm:
    """The submitted values with the draft's current edit version, so saving again is possible."""
    data = request.POST.copy()
    data["edit_version"] = str(plan.edit_version)
    fresh = draft_form(plan, data)
    fresh.is_valid()
    if "edit_version" in form.errors:
        fresh.add_error(None, VERSION_ERROR)
    return fresh


def _render_conflict(request: HttpRequest, saved: TreatmentPlan, form: DraftPlanForm,
                     doses: list[DoseForm]) -> HttpResponse:
    """Someone saved first: show what differs, keep every value typed, offer to save over it."""
    latest = saved.history.select_related("history_user").order_by("-history_date").first()
    conflict = {
        "subject": f"draft version {saved.version}",
        "by": latest.history_user if latest else None,
        "at": latest.history_date if latest else None,
        "changes": draft_changes(form, doses, saved),
        "reload_url": request.path,
    }
    return _render_edit(request, saved, _with_edit_version(request, saved, form), doses, conflict=conflict)


@require_POST
@role_required("plans.view_treatmentplan", "plans.approve_treatmentplan")
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(pk)
    if is_repeat(request):
        return redirect("plans:detail", pk=plan.pk)  # a double-click: signed once, one message
    form = ApprovePlanForm(request.POST, request=request)
    if plan.is_approved:
        return _already_approved(request, plan)
    if not form.is_valid():
        return _detail_page(request, plan, status=400, approve_form=form)
    try:
        plan, approved_now = actions.approve_plan(plan, request.user)
    except actions.PlanActionError as error:
        return _to_plan(request, plan, messages.ERROR, str(error))
    if not approved_now:
        return _already_approved(request, plan)
    return _to_plan(request, plan, messages.SUCCESS,
                    f"Version {plan.version} approved and signed. Its PDF is being prepared.")


@require_POST
@role_required("plans.view_treatmentplan", "plans.change_treatmentplan")
def revise(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(pk)
    try:
        revision = actions.revise_plan(plan, request.user)
    except actions.PlanActionError as error:
        return _to_plan(request, plan, messages.ERROR, str(error))
    messages.success(request, f"Version {revision.version} created as a draft from version {plan.version}.")
    return redirect("plans:edit", pk=revision.pk)


@require_POST
@role_required("plans.view_treatmentplan", "plans.change_treatmentplan")
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(pk)
    form = CancelPlanForm(request.POST)
    if not plan.can_move_to(PlanState.CANCELLED):
        return _to_plan(request, plan, messages.ERROR, f"{plan.state_sentence}; it cannot be cancelled.")
    if not form.is_valid():
        return _detail_page(request, plan, status=400, cancel_form=form)
    actions.cancel_plan(plan, request.user, form.cleaned_data["reason"])
    return _to_plan(request, plan, messages.SUCCESS, f"Version {plan.version} cancelled.")


@require_POST
@role_required("plans.view_treatmentplan", "plans.add_plandocument")
def render_document(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(pk)
    if plan.state == PlanState.CANCELLED:
        messages.error(request, f"{plan.state_sentence}; it is not printed.")
    else:
        documents.retry_documents(plan, request.user)
        messages.success(request, f"The PDF of version {plan.version} is being prepared.")
    return redirect(f"{reverse('plans:detail', args=[plan.pk])}#documents")


@require_POST
@role_required("plans.view_treatmentplan", "plans.approve_treatmentplan")
def resume(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(pk)
    if not plan.is_on_hold:
        return _to_plan(request, plan, messages.ERROR,
                        f"{plan.state_sentence}; only a plan on hold can be resumed.")
    form = ResumePlanForm(request.POST, request=request)
    if not form.is_valid():
        return _detail_page(request, plan, status=400, resume_form=form)
    actions.resume_plan(plan, request.user, form.cleaned_data["reason"])
    return _to_plan(request, plan, messages.SUCCESS,
                    f"Version {plan.version} resumed; it goes back to verification before nurses see it.")


# --- verification -------------------------------------------------------------
def _verifier_only(request: HttpRequest) -> None:
    if not actions.may_verify(request.user):
        raise PermissionDenied("Only a pharmacist (or, where allowed, a second oncologist) verifies plans.")


@role_required("plans.view_treatmentplan")
def verification_worklist(request: HttpRequest) -> HttpResponse:
    """Plans waiting for verification, the longest waiting first."""
    _verifier_only(request)
    plans = (
        TreatmentPlan.objects.filter(state=PlanState.APPROVED)
        .select_related("case__patient", "approved_by")
        .order_by("approved_at", "pk")
    )
    return render(request, "plans/verification_worklist.html", {"plans": plans})


def _verify_page(request: HttpRequest, plan: TreatmentPlan, status: int = 200, **forms) -> HttpResponse:
    context = {
        "plan": plan,
        "patient": plan.case.patient,
        "verify_form": VerifyPlanForm(request=request),
        "return_form": ReturnPlanForm(),
        **verification.verification_context(plan),
        **forms,
    }
    return render(request, "plans/verify.html", context, status=status)


@role_required("plans.view_treatmentplan")
def verify(request: HttpRequest, pk: int) -> HttpResponse:
    _verifier_only(request)
    plan = _plan(pk)
    if request.method != "POST":
        return _verify_page(request, plan)
    form = VerifyPlanForm(request.POST, request=request)
    if not form.is_valid():
        return _verify_page(request, plan, status=400, verify_form=form)
    try:
        plan, verified_now = actions.verify_plan(plan, request.user)
    except actions.PlanActionError as error:
        form.add_error(None, str(error))
        return _verify_page(request, plan, status=409, verify_form=form)
    if verified_now:
        messages.success(request, f"Version {plan.version} verified and released to the nurses.")
    else:
        messages.info(request, f"Version {plan.version} was already verified; nothing changed.")
    return redirect("plans:verification_worklist")


@require_POST
@role_required("plans.view_treatmentplan")
def return_to_oncologist(request: HttpRequest, pk: int) -> HttpResponse:
    _verifier_only(request)
    plan = _plan(pk)
    form = ReturnPlanForm(request.POST)
    if not form.is_valid():
        return _verify_page(request, plan, status=400, return_form=form)
    try:
        actions.return_plan(plan, request.user, form.cleaned_data["reason"])
    except actions.PlanActionError as error:
        form.add_error(None, str(error))
        return _verify_page(request, plan, status=409, return_form=form)
    messages.success(request, f"Version {plan.version} returned to the oncologist.")
    return redirect("plans:verification_worklist")


# --- the oncologist's plans on hold -----------------------------------------------
@role_required("plans.view_treatmentplan", "plans.approve_treatmentplan")
def hold_worklist(request: HttpRequest) -> HttpResponse:
    """Plans on hold (the case changed, or the verifier returned them): each needs the oncologist's review."""
    plans = holds.with_hold_reason(
        TreatmentPlan.objects.filter(state=PlanState.ON_HOLD).select_related("case__patient").order_by("pk")
    )
    return render(request, "plans/hold_worklist.html", {"plans": plans})


# --- documents -------------------------------------------------------------
def _may_read_document(user, document: PlanDocument) -> bool:
    if user.has_perm("plans.view_treatmentplan"):
        return True
    return (
        user.has_perm("plans.view_approved_plan")
        and document.plan.was_released
        and document.plan_state == document.plan.state
    )


@role_required("plans.view_plandocument")
def download(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(PlanDocument.objects.select_related("plan__case__patient"), pk=pk)
    if not _may_read_document(request.user, document):
        raise Http404("No such document.")  # the same answer as for a document that does not exist
    try:
        content = document.read_bytes()
    except OSError:
        content = None
    if content is None or not document.verify_checksum(content):
        return render(request, "plans/document_refused.html", {"document": document, "plan": document.plan}, status=409)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{document.download_name}"'
    response["Cache-Control"] = "private, no-store"
    return response
