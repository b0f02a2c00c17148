from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from her2app.accounts.access import role_required
from her2app.meetings import actions, documents
from her2app.meetings.forms import AddCaseForm, DecisionForm, MeetingForm
from her2app.meetings.models import AgendaItem, Meeting
from her2app.meetings.proposal import agenda_entries


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
        "add_form": add_form or AddCaseForm(meeting=meeting),
        "pdf": documents.agenda_status(meeting),
    }
    return render(request, "meetings/detail.html", context, status=400 if add_form else 200)


@require_POST
@role_required("meetings.add_agendaitem")
def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting, pk=pk)
    form = AddCaseForm(request.POST, meeting=meeting)
    if not form.is_valid():
        return meeting_detail(request, pk, add_form=form)
    try:
        item = actions.add_case_to_agenda(meeting, form.cleaned_data["case"], form.cleaned_data["question"])
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
    initial = {"plan": item.plan, "decision_text": item.decision_text}
    form = DecisionForm(request.POST or None, item=item, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            text, plan = form.cleaned_data["decision_text"], form.cleaned_data.get("plan")
            actions.record_decision(item, request.user, text, plan)
        except actions.AgendaError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Decision recorded for case {item.case_id}.")
            return redirect(f"{_detail_url(pk)}#item-{item.pk}")
    status = 400 if form.errors else 200
    context = {"item": item, "meeting": item.meeting, "form": form}
    return render(request, "meetings/decision.html", context, status=status)


@role_required("meetings.view_meeting")
def agenda_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The latest printed agenda, served only if its bytes still match their SHA-256."""
    meeting = get_object_or_404(Meeting, pk=pk)
    document = meeting.documents.order_by("-version").first()
    if document is None:
        raise Http404("No agenda PDF yet.")
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
