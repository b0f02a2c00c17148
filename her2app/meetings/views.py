from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from her2app.accounts.access import role_required
from her2app.meetings import actions, documents
from her2app.meetings.forms import AddCaseForm, DecisionForm, MeetingForm, SignOffForm
from her2app.meetings.models import AgendaItem, Meeting
from her2app.meetings.proposal import agenda_entries


def _read_only(request: HttpRequest, meeting: Meeting) -> HttpResponse | None:
    """After sign-off the minutes are read-only: back to the meeting, saying so."""
    if not meeting.is_signed_off:
        return None
    messages.error(request, "The minutes are signed off; this meeting can no longer be changed.")
    return redirect("meetings:detail", pk=meeting.pk)


def _item_in_meeting(pk: int, item_pk: int) -> AgendaItem:
    """The agenda item, only if it belongs to the meeting in the URL."""
    return get_object_or_404(AgendaItem.objects.select_related("meeting", "case__patient"), pk=item_pk, meeting_id=pk)


@role_required("meetings.view_meeting")
def meeting_list(request: HttpRequest) -> HttpResponse:
    meetings = Meeting.objects.annotate(case_count=Count("items"))[:100]
    return render(request, "meetings/list.html", {"meetings": meetings})


@role_required("meetings.add_meeting")
def meeting_new(request: HttpRequest) -> HttpResponse:
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        meeting = form.save(commit=False)
        meeting.created_by = request.user
        meeting.save()
        messages.success(request, "Meeting created. Add the cases to discuss.")
        return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "meetings/form.html", {"form": form, "meeting": None})


@role_required("meetings.change_meeting")
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    if refused := _read_only(request, meeting):
        return refused
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Meeting details saved.")
        return redirect("meetings:detail", pk=meeting.pk)
    return render(request, "meetings/form.html", {"form": form, "meeting": meeting})


@role_required("meetings.view_meeting")
def meeting_detail(request: HttpRequest, pk: int, add_form: AddCaseForm | None = None) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    context = {
        "meeting": meeting,
        "entries": agenda_entries(meeting),
        "add_form": None if meeting.is_signed_off else add_form or AddCaseForm(meeting=meeting),
        "pdf": documents.agenda_status(meeting),
    }
    return render(request, "meetings/detail.html", context, status=400 if add_form else 200)


@require_POST
@role_required("meetings.add_agendaitem")
def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    if refused := _read_only(request, meeting):
        return refused
    form = AddCaseForm(request.POST, meeting=meeting)
    if not form.is_valid():
        return meeting_detail(request, pk, add_form=form)
    try:
        data = form.cleaned_data
        item = actions.add_case_to_agenda(
            meeting, data["case"], data["question"], presenter=data["presenter"],
            pathology_summary=data["pathology_summary"], imaging_summary=data["imaging_summary"],
        )
    except actions.AgendaError as error:
        form.add_error("case", str(error))
        return meeting_detail(request, pk, add_form=form)
    messages.success(request, f"Case {item.case_id} added to the agenda as item {item.position}.")
    return redirect("meetings:detail", pk=pk)


@require_POST
@role_required("meetings.change_agendaitem")
def agenda_move(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    item = _item_in_meeting(pk, item_pk)
    try:
        actions.move_item(item, request.POST.get("direction", ""))
    except actions.AgendaError as error:
        messages.error(request, str(error))
    return redirect(f"{_detail_url(pk)}#item-{item.pk}")


@require_POST
@role_required("meetings.delete_agendaitem")
def agenda_remove(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    item = _item_in_meeting(pk, item_pk)
    try:
        actions.remove_item(item)
    except actions.AgendaError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Case {item.case_id} removed from the agenda.")
    return redirect("meetings:detail", pk=pk)


@role_required("meetings.record_decision")
def decision(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    item = _item_in_meeting(pk, item_pk)
    if refused := _read_only(request, item.meeting):
        return refused
    initial = {"outcome": item.outcome, "plan": item.plan, "decision_text": item.decision_text}
    form = DecisionForm(request.POST or None, item=item, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            data = form.cleaned_data
            actions.record_decision(item, request.user, data["decision_text"], data.get("plan"), data["outcome"])
        except actions.AgendaError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Decision recorded for case {item.case_id}.")
            return redirect(f"{_detail_url(pk)}#item-{item.pk}")
    status = 400 if form.errors else 200
    context = {"item": item, "meeting": item.meeting, "form": form}
    return render(request, "meetings/decision.html", context, status=status)


@role_required("meetings.view_meeting")
def sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    """The chair signs the minutes off with their password; the minutes PDF is then rendered."""
    meeting = get_object_or_404(Meeting, pk=pk)
    if refused := _read_only(request, meeting):
        return refused
    if meeting.chair_id != request.user.pk:
        raise PermissionDenied("Only the meeting's chair can sign the minutes off.")
    form = SignOffForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                actions.sign_off_minutes(meeting, request.user)
                documents.request_agenda(meeting, request.user)
        except actions.AgendaError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Minutes signed off. The minutes PDF is being prepared.")
            return redirect(f"{_detail_url(pk)}#agenda-pdf")
    status = 400 if form.errors else 200
    context = {"meeting": meeting, "form": form, "undecided": meeting.items.filter(decided_at__isnull=True).count()}
    return render(request, "meetings/sign_off.html", context, status=status)


@role_required("meetings.view_meeting")
def agenda_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The latest agenda, or after sign-off the minutes, served only if its bytes still match their SHA-256."""
    meeting = get_object_or_404(Meeting, pk=pk)
    document = documents.agenda_status(meeting).document
    if document is None:
        raise Http404("No PDF yet.")
    content = document.read_bytes()
    if not document.verify_checksum(content):
        messages.error(request, "The stored agenda PDF does not match its checksum; prepare a new one.")
        return redirect("meetings:detail", pk=pk)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{document.download_name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@role_required("meetings.view_meeting")
def agenda_print(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    documents.request_agenda(meeting, request.user)
    messages.success(request, "The agenda PDF is being prepared.")
    return redirect(f"{_detail_url(pk)}#agenda-pdf")


def _detail_url(pk: int) -> str:
    return reverse("meetings:detail", kwargs={"pk": pk})
