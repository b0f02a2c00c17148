"""LVEF monitoring (M1) for a case: when the next LVEF is due, and whether trastuzumab is withheld or stopped.

Only reads: it never changes a plan's state. The plan-hold code calls `lvef_status(case)` and acts on
`holds_plan` and `text`.
"""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from her2app.cases.models import Case
from her2app.monitoring.readiness import first_trastuzumab_dose_on, policy, treating_plans
from her2app.monitoring.series import case_series
from her2app.plans.models import TreatmentPlan
from regimens import catalogue
from regimens.lvef import LvefCourse, lvef_course
from regimens.measurements import format_date


@dataclass(frozen=True)
class LvefStatus:
    """M1 as it stands on `as_of` for the case's current plan under way with trastuzumab or trastuzumab
    emtansine (`applies` False without one: M1 is not in force)."""

    applies: bool
    as_of: date
    course: LvefCourse | None
    plan: TreatmentPlan | None
    lower_limit_of_normal: float

    @property
    def status(self) -> str:
        """not_applicable | no_baseline | continue | withhold | resume | stop (LvefCourse.status)."""
        return self.course.status if self.applies else "not_applicable"

    @property
    def holds_plan(self) -> bool:
        """True when trastuzumab must not be given: withheld (recheck due) or stopped permanently."""
        return self.applies and self.course.holds_plan

    @property
    def due_on(self) -> date | None:
        """12 weeks after the last LVEF (none once stopped)."""
        return self.course.next_due if self.applies else None

    @property
    def overdue(self) -> bool:
        return self.due_on is not None and self.as_of > self.due_on

    @property
    def recheck_due(self) -> date | None:
        return self.course.recheck_due if self.applies else None

    @property
    def text(self) -> str:
        """The reason, readable: what the last LVEF meant, and what is due."""
        if not self.applies:
            return "M1 applies to plans with trastuzumab or trastuzumab emtansine; this case has no such plan under way."
        text = self.course.text
        if self.course.status == "withhold":
            return f"{text} Recheck due in {catalogue.LVEF_RECHECK_WEEKS} weeks: by {format_date(self.recheck_due)}."
        if self.due_on:
            due = "overdue since" if self.overdue else "due by"
            return f"{text} Next LVEF {due} {format_date(self.due_on)}."
        return text


def current_m1_plan(case: Case) -> TreatmentPlan | None:
    """The case's latest plan under way (approved, verified or on hold) with trastuzumab or trastuzumab
    emtansine."""
    for plan in treating_plans(case):
        if any(event["drug"] in catalogue.LVEF_M1_AGENTS for event in plan.calendar_events()):
            return plan
    return None


def lvef_status(case: Case, as_of: date | None = None) -> LvefStatus:
    as_of = as_of or timezone.localdate()
    lower_limit = policy().lvef_lower_limit_of_normal
    plan = current_m1_plan(case)
    if plan is None:
        return LvefStatus(False, as_of, None, None, lower_limit)
    series = case_series(case).lvef_percent
    course = lvef_course(series, first_trastuzumab_dose_on(plan), lower_limit, as_of=as_of)
    return LvefStatus(True, as_of, course, plan, lower_limit)

