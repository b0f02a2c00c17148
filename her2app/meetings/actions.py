"""Every change to a meeting's agenda goes through one of these functions."""

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from her2app.cases.models import Case
from her2app.meetings.models import AgendaItem, Meeting


class AgendaError(Exception):
    """A change the agenda does not allow; the message is shown to the user."""


def add_case_to_agenda(meeting: Meeting, case: Case, question: str = "") -> AgendaItem:
    """Append a case at the end of the agenda."""
    with transaction.atomic():
        Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.items.filter(case=case).exists():
            raise AgendaError(f"Case {case.pk} is already on this agenda.")
        last = meeting.items.aggregate(last=Max("position"))["last"] or 0
        try:
            return AgendaItem.objects.create(meeting=meeting, case=case, position=last + 1, question=question)
        except IntegrityError:
            raise AgendaError(f"Case {case.pk} is already on this agenda.") from None


def move_item(item: AgendaItem, direction: str) -> None:
    """Swap an item with its neighbour: direction is "up" (earlier) or "down"."""
    if direction not in ("up", "down"):
        raise AgendaError("Move an item up or down.")
    with transaction.atomic():
        items = list(Meeting.objects.select_for_update().get(pk=item.meeting_id).items.order_by("position", "pk"))
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
        # Re-read under the lock: a decision recorded a moment ago must not be lost.
        current = meeting.items.filter(pk=item.pk).first()
        if current is None:
            return
        if current.is_decided:
            raise AgendaError("A case with a recorded decision cannot be removed from the agenda.")
        current.delete()
        _renumber(list(meeting.items.order_by("position", "pk")))


def record_decision(item: AgendaItem, user, decision_text: str, plan=None) -> AgendaItem:
    """Record (or correct) the board's decision: a linked plan, free text, or both."""
    decision_text = decision_text.strip()
    if not decision_text and plan is None:
        raise AgendaError("Record a decision: link the case's plan or write the decision.")
    if plan is not None and plan.case_id != item.case_id:
        raise AgendaError("That plan belongs to another case.")
    item.plan = plan
    item.decision_text = decision_text
    item.decided_by = user
    item.decided_at = timezone.now()
    item.save(update_fields=["plan", "decision_text", "decided_by", "decided_at"])
    return item


def _renumber(items: list[AgendaItem]) -> None:
    for position, agenda_item in enumerate(items, start=1):
        if agenda_item.position != position:
            agenda_item.position = position
            agenda_item.save(update_fields=["position"])
