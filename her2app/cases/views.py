"""Case list, case detail and the five-step case wizard.

Every wizard page works as a full page load; with htmx the step partial is
swapped in place (request.htmx) and the address bar follows the step.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect, push_url

from her2app.accounts.access import role_required
from her2app.accounts.submit_once import is_repeat
from her2app.cases import actions as case_actions
from her2app.cases import wizard
from her2app.cases.checklist import ready_to_send, send_checklist
from her2app.cases.outcome import evaluate
from her2app.cases.listing import LIST_COLUMNS, case_rows
from her2app.cases.forms import VERSION_ERROR, CaseSearchForm, PatientForm
from her2app.cases.models import Case, EditConflict, Patient, TreatmentLine
from her2app.cases.search import cases_of_matching_patients
from her2app.cases.signals import announce_case_data_saved
from her2app.cases.wizard import STEP_BY_SLUG, STEPS, HistoryEditor, Step, StepEditor

CASES_PER_PAGE = 25


@role_required("cases.view_case")
def case_list(request: HttpRequest) -> HttpResponse:
    search = CaseSearchForm(request.GET or None)
    cases = Case.objects.all()
    if search.is_valid():
        cases = _filtered(cases, search.cleaned_data["q"].strip(), search.cleaned_data["status"])
    page = RowsByIdPaginator(cases.order_by("-created_at", "-pk"), CASES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    rows = case_rows(page.object_list.values(*LIST_COLUMNS))
    return render(request, "cases/list.html", {"search": search, "page": page, "rows": rows, "query": query.urlencode()})


class RowsByIdPaginator(Paginator):
    """Skips to a page over the ids alone, then reads that page's rows with their joins.

    OFFSET still walks every earlier row, but as ids from the list's index
    rather than as joined rows: far pages cost a fraction of what they did.
    The first page has no rows to skip: it reads its rows at once, without
    the ids' subquery (one query less to build, and a simpler one to run).
    """

    def _get_page(self, object_list, number, paginator):
        if not object_list.query.low_mark:  # no offset: the first page
            return super()._get_page(object_list, number, paginator)
        page_ids = object_list.values("pk")
        return super()._get_page(self.object_list.filter(pk__in=page_ids), number, paginator)


def _filtered(cases, text: str, status: str):
    if text:
        cases = cases_of_matching_patients(cases, text)
    return cases.filter(status=status) if status else cases


@role_required("cases.view_case")
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_with_records(pk, "created_by", "updated_by", case_page=True)
    context = {
        "case": case,
        "profile": getattr(case, "profile", None),
        "clinical": getattr(case, "clinical", None),
        "lines": case.treatment_lines.all(),  # prefetched: the engine input reads the same list
        "outcome": evaluate(case),
    }
    return render(request, "cases/detail.html", context)


@role_required("cases.add_case", "cases.add_patient")
def case_new(request: HttpRequest) -> HttpResponse:
    form = PatientForm(request.POST or None, new_case=True)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            patient = form.save()
            case = case_actions.start_case(patient, request.user)
        return _go_to(request, case, STEP_BY_SLUG["tumour"])
    return _render_step(request, None, STEPS[0], _NewCaseEditor(form), existing_patient=_existing_patient(form))


def _existing_patient(form: PatientForm) -> Patient | None:
    """The patient whose MRN a new-case form repeats: offered to open, or to start a new case for."""
    if not form.is_bound or not form.has_error("mrn", code="unique"):
        return None  # any other MRN error (e.g. a NUL byte) is not a patient to look up
    return Patient.objects.filter(mrn=form.data.get("mrn", "").strip()).first()


@require_POST
@role_required("cases.add_case")
def case_new_for_patient(request: HttpRequest, patient_pk: int) -> HttpResponse:
    """A new case for a patient already on file (a patient may have several cases over time)."""
    patient = get_object_or_404(Patient, pk=patient_pk)
    if is_repeat(request):
        latest = patient.cases.order_by("-created_at", "-pk").first()
        return redirect("cases:step", latest.pk, "tumour")
    case = case_actions.start_case(patient, request.user)
    messages.success(request, f"New case {case.pk} started for {patient.full_name} (MRN {patient.mrn}).")
    return redirect("cases:step", case.pk, "tumour")


class _NewCaseEditor:
    """The patient step before a case exists."""

    def __init__(self, form: PatientForm):
        self.form = form

    def errors(self) -> list[wizard.FieldError]:
        return wizard.form_errors(self.form) if self.form.is_bound else []


@role_required("cases.change_case")
def case_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    current = STEP_BY_SLUG.get(step)
    if current is None:
        raise Http404("No such wizard step")
    if request.method != "POST":
        case = _case_with_records(pk)
        return _render_step(request, case, current, wizard.editor_for(current, case))
    case = get_object_or_404(Case.objects.select_related("patient", "updated_by"), pk=pk)
    return _post_step(request, case, current)


def _case_with_records(pk: int, *also_related: str, case_page: bool = False) -> Case:
    """The case with the records the engine and the case pages read, fetched together.

    For pages that only read: a save would leave these cached records stale.
    """
    # One case's lines in their own order: the default order would join the cases to sort by theirs.
    lines = Prefetch("treatment_lines", TreatmentLine.objects.order_by("line_number", "pk"))
    related = (lines, *_case_page_records()) if case_page else (lines,)
    cases = Case.objects.select_related("patient", "profile", "clinical", *also_related)
    return get_object_or_404(cases.prefetch_related(*related), pk=pk)


def _case_page_records() -> tuple:
    """The case page's plans, with who signed them and their PDFs, and its agenda items with their meetings.

    One case's plans (and one plan's PDFs) newest version first, as their default orders put them, without
    the join to the cases (and plans) those orders sort by first.
    """
    return _newest_first("plans"), "plans__approved_by", _newest_first("plans__documents"), "agenda_items__meeting"


def _newest_first(lookup: str) -> Prefetch:
    """Prefetch the case's records along `lookup`, highest version first."""
    model = Case
    for name in lookup.split("__"):
        model = model._meta.get_field(name).related_model  # the plans app sits above this one
    return Prefetch(lookup, model.objects.order_by("-version"))


def _post_step(request: HttpRequest, case: Case, step: Step) -> HttpResponse:
    action = request.POST.get("action", "next")
    if step.slug == "history" and (action == "add_line" or action.startswith("remove:")):
        return _edit_lines_in_place(request, case, step, action)
    if action == "send" and is_repeat(request):
        return _redirect(request, reverse("cases:detail", args=[case.pk]))  # a double-click: sent once
    editor = wizard.editor_for(step, case, request.POST)
    if not editor.is_valid():
        return _render_step(request, case, step, _keep_version_usable(editor, case, step, request))
    if step.slug == "review" and action == "send" and (refusal := _refuse_send(request, case, step, editor)):
        return refusal
    try:
        with transaction.atomic():
            case_actions.claim_version(case, editor.expected_version, request.user)
            editor.save()
            warnings = announce_case_data_saved(case, step.slug, request.user)
    except EditConflict:
        return _render_conflict(request, step, editor)
    for warning in warnings:
        messages.warning(request, warning)
    return _after_save(request, case, step, action)


def _edit_lines_in_place(request: HttpRequest, case: Case, step: Step, action: str) -> HttpResponse:
    """Add or remove a treatment line without saving: the person keeps editing the step."""
    if action == "add_line":
        editor = HistoryEditor.with_line_added(case, request.POST)
        return _render_step(request, case, step, editor, focus_id=editor.visible_forms()[-1].prefix)
    editor = HistoryEditor.with_line_removed(case, request.POST, action.removeprefix("remove:"))
    return _render_step(request, case, step, editor, focus_id="treatment-lines")


def _refuse_send(request: HttpRequest, case: Case, step: Step, editor: StepEditor) -> HttpResponse | None:
    """Only a draft the engine can read goes to the oncologist."""
    if case.status != Case.Status.DRAFT:
        messages.info(request, "This case was already sent to the oncologist.")
        return _redirect(request, reverse("cases:detail", args=[case.pk]))
    outcome = evaluate(case)
    if outcome.error_message:
        editor.form.add_error(None, "The engine cannot read this case yet: fix the input named above first.")
        return _render_step(request, case, step, editor)
    missing = [item for item in send_checklist(case, outcome) if not item.recorded]
    if missing:
        editor.form.add_error(None, "Not sent: record " + ", ".join(item.label for item in missing) + " first.")
        return _render_step(request, case, step, editor)
    return None


def _keep_version_usable(editor: StepEditor, case: Case, step: Step, request: HttpRequest) -> StepEditor:
    """A malformed hidden version is an error on the form; the next submit carries the current one."""
    if "version" in editor.form.errors:
        editor = wizard.editor_for(step, case, wizard.with_version(request.POST, case.version))
        editor.is_valid()
        editor.form.add_error(None, VERSION_ERROR)
    return editor


def _render_conflict(request: HttpRequest, step: Step, editor: StepEditor) -> HttpResponse:
    fresh_case = Case.objects.select_related("patient", "updated_by").get(pk=editor.case.pk)
    changes = editor.changes_from(wizard.editor_for(step, fresh_case))
    resubmit = wizard.editor_for(step, fresh_case, wizard.with_version(request.POST, fresh_case.version))
    resubmit.is_valid()
    conflict = {"by": fresh_case.updated_by, "at": fresh_case.updated_at, "changes": changes}
    return _render_step(request, fresh_case, step, resubmit, conflict=conflict)


def _after_save(request: HttpRequest, case: Case, step: Step, action: str) -> HttpResponse:
    if step.slug == "review" and action == "send":
        messages.success(request, "Case sent to the oncologist for review.")
        return _redirect(request, reverse("cases:detail", args=[case.pk]))
    offset = -1 if action == "back" else (0 if action == "save" else 1)
    target = wizard.neighbour(step, offset) or step
    return _go_to(request, case, target, saved=True)


def _go_to(request: HttpRequest, case: Case, step: Step, saved: bool = False) -> HttpResponse:
    url = reverse("cases:step", args=[case.pk, step.slug])
    if not _wants_partial(request):
        if saved:
            messages.success(request, "Draft saved.")
        return redirect(url)
    case.refresh_from_db()
    response = _render_step(request, case, step, wizard.editor_for(step, case), saved=saved)
    return push_url(response, url)


def _wants_partial(request: HttpRequest) -> bool:
    """htmx swaps the step partial, except when restoring history, which needs the full page."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def _render_step(request: HttpRequest, case: Case | None, step: Step, editor, **extra) -> HttpResponse:
    context = {
        "case": case,
        "step": step,
        "progress": wizard.progress(case, step),
        "editor": editor,
        "form": editor.form,
        "errors": editor.errors() if editor.form.is_bound else [],
        "previous_step": wizard.neighbour(step, -1),
        "next_step": wizard.neighbour(step, 1),
        "action_url": reverse("cases:step", args=[case.pk, step.slug]) if case else reverse("cases:new"),
        **extra,
    }
    if step.slug == "review" and case is not None:
        context["outcome"] = evaluate(case)
        context["checklist"] = send_checklist(case, context["outcome"])
        context["ready_to_send"] = ready_to_send(context["checklist"])
    template = "cases/_wizard.html" if _wants_partial(request) else "cases/wizard.html"
    return render(request, template, context)
