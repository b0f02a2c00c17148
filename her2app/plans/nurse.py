"""The nurses' pages: the worklist of infusions in the coming weeks, the list
of released plans, and one released plan as nurses give it. Nurses see
released plans only (verified, or held after release and struck through)."""

from datetime import date, timedelta

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from her2app.accounts.access import role_required
from her2app.plans import documents, holds
from her2app.plans.as_given import ScheduleAsGiven, schedule_as_given, schedules_as_given
from her2app.plans.calendar import upcoming_infusions
from her2app.plans.content import plan_content
from her2app.plans.models import PlanState, TreatmentPlan

WORKLIST_DAYS = 28
RELEASED_PLANS_PER_PAGE = 25
# A plan's stored calendar covers its first cycles only; older plans have no dated events left.
CALENDAR_REACH = timedelta(days=366)
RELEASED = Q(state=PlanState.VERIFIED) | Q(state=PlanState.ON_HOLD, verified_at__isnull=False)


def _released_plans():
    """Verified plans, and plans held after release (shown struck through, never to be given)."""
    plans = TreatmentPlan.objects.filter(RELEASED).select_related("case__patient", "approved_by", "verified_by")
    return holds.with_hold_reason(documents.with_pdf_status(plans))


def _released_plans_page(request: HttpRequest):
    plans = _released_plans().order_by("case__patient__family_name", "case__patient__given_name", "pk")
    return Paginator(plans, RELEASED_PLANS_PER_PAGE).get_page(request.GET.get("page"))


def _infusions_due(plan: TreatmentPlan, schedule: ScheduleAsGiven | None, today: date, until: date) -> list:
    """The plan's infusions dated today..until: on their re-flowed dates once anything is recorded."""
    if schedule is None:
        return upcoming_infusions(plan.calendar_events(), today, until)
    return [dose for dose in schedule.upcoming if not dose.is_oral and today <= dose.on <= until]


@role_required("plans.view_approved_plan")
def nurse_worklist(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    until = today + timedelta(days=WORKLIST_DAYS)
    plans = list(_released_plans().filter(start_date__lte=until, start_date__gte=today - CALENDAR_REACH))
    schedules = schedules_as_given(plans, today)
    entries = [(item, plan) for plan in plans for item in _infusions_due(plan, schedules.get(plan.pk), today, until)]
    entries.sort(key=lambda entry: (entry[0].first_date, entry[1].case.patient.family_name, entry[0].drug))
    days: dict[date, list] = {}
    for item, plan in entries:
        days.setdefault(item.first_date, []).append({"item": item, "plan": plan})
    context = {
        "days": sorted(days.items()),
        "today": today,
        "until": until,
        "page": _released_plans_page(request),
        "unreadable": [plan for plan in plans if not plan.calendar_is_complete],
    }
    return render(request, "plans/nurse_worklist.html", context)


@role_required("plans.view_approved_plan")
def nurse_plan(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(TreatmentPlan.objects.select_related("case__patient", "approved_by"), pk=pk)
    if not plan.was_released:
        raise Http404("No such plan.")  # the same answer as for a plan that does not exist
    today = timezone.localdate()
    context = {**plan_content(plan, schedule_as_given(plan, today)), "today": today, "pdf": documents.pdf_status(plan)}
    return render(request, "plans/nurse_plan.html", context)
