"""Every change to a meeting's agenda goes through one of these functions."""

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from her2app.cases.models import Case
from her2app.meetings.models import AgendaItem, Meeting, Outcome


class AgendaError(Exception):
    """A change the agenda does not allow; the message is shown to the user."""


def _refuse_if_signed_off(meeting: Meeting) -> None:
    if meeting.is_signed_off:
        raise AgendaError("The minutes are signed off; this meeting can no longer be changed.")


def add_case_to_agenda(meeting: Meeting, case: Case, question: str = "", **details) -> AgendaItem:
    """Append a case at the end of the agenda, with its presenter and summaries (`details`)."""
    with transaction.atomic():
        _refuse_if_signed_off(Meeting.objects.select_for_update().get(pk=meeting.pk))
        if meeting.items.filter(case=case).exists():
            raise AgendaError(f"Case {case.pk} is already on this agenda.")
        last = meeting.items.aggregate(last=Max("position"))["last"] or 0
        try:
            return AgendaItem.objects.create(
                meeting=meeting, case=case, position=last + 1, question=question, **details
            )
        except IntegrityError:
            raise AgendaError(f"Case {case.pk} is already on this agenda.") from None


def move_item(item: AgendaItem, direction: str) -> None:
    """Swap an item with its neighbour: direction is "up" (earlier) or "down"."""
    if direction not in ("up", "down"):
        raise AgendaError("Move an item up or down.")
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
        _refuse_if_signed_off(meeting)
        items = list(meeting.items.order_by("position", "pk"))
        index = next((i for i, other in enumerate(items) if other.pk == item.pk), None)
        if index is None:
            raise AgendaError("That case is no longer on the agenda.")
        target = index - 1 if direction == "up" else index + 1
        if not 0 <= target < len(items):
            return
        items[index], items[target] = items[target], items[index]
        _renumber(items)


def remove_item(item: AgendaItem) -> None:
    """Take an undecided case off the agenda; decided items stay on record."""
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
        _refuse_if_signed_off(meeting)
        # Re-read under the lock: a decision recorded a moment ago must not be lost.
        current = meeting.items.filter(pk=item.pk).first()
        if current is None:
            return
        if current.is_decided:
            raise AgendaError("A case with a recorded decision cannot be removed from the agenda.")
        current.delete()
        _renumber(list(meeting.items.order_by("position", "pk")))


def record_decision(item: AgendaItem, user, decision_text: str, plan=None, outcome: str = "") -> AgendaItem:
    """Record (or correct) the board's outcome for a case in the minutes: a coded outcome,
    a linked plan, free text; text or a plan is required."""
    decision_text = decision_text.strip()
    if not decision_text and plan is None:
        raise AgendaError("Record a decision: link the case's plan or write the decision.")
    if plan is not None and plan.case_id != item.case_id:
        raise AgendaError("That plan belongs to another case.")
    if outcome and outcome not in Outcome.values:
        raise AgendaError("Choose one of the listed outcomes.")
    with transaction.atomic():
        _refuse_if_signed_off(Meeting.objects.select_for_update().get(pk=item.meeting_id))
        item.plan = plan
        item.outcome = outcome
        item.decision_text = decision_text
        item.decided_by = user
        item.decided_at = timezone.now()
        item.save(update_fields=["plan", "outcome", "decision_text", "decided_by", "decided_at"])
    return item


def sign_off_minutes(meeting: Meeting, user) -> Meeting:
    """The chair signs the minutes off (the view checks the password); they are read-only after."""
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        _refuse_if_signed_off(locked)
        if locked.chair_id != user.pk:
            raise AgendaError("Only the meeting's chair can sign the minutes off.")
        if not locked.items.exists():
            raise AgendaError("There are no cases on the agenda to sign off.")
        if locked.items.filter(decided_at__isnull=True).exists():
            raise AgendaError("Record an outcome for every case before the minutes are signed off.")
        locked.signed_off_by = user
        locked.signed_off_at = timezone.now()
        locked.save(update_fields=["signed_off_by", "signed_off_at"])
    meeting.refresh_from_db()
    return meeting


def _renumber(items: list[AgendaItem]) -> None:
    for position, agenda_item in enumerate(items, start=1):
        if agenda_item.position != position:
            agenda_item.position = position
            agenda_item.save(update_fields=["position"])
