"""Readiness ("OK to treat") for one administration day of a plan under way: the engine's checklist
(regimens.readiness) over the case's series, with the oncologist's recorded decisions applied.

Institutional settings (policies, not reference figures): READINESS_WEIGHT_CHANGE_PERCENT and
LVEF_LOWER_LIMIT_OF_NORMAL.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils import timezone

from her2app.monitoring.models import ReadinessDecision
from her2app.monitoring.series import case_series
from her2app.plans.as_given import ScheduleAsGiven, schedule_as_given
from her2app.plans.models import SIGNED_STATES, TreatmentPlan
from regimens import catalogue
from regimens.readiness import ReadinessLine, ReadinessPolicy, readiness

TRASTUZUMAB_FAMILY = catalogue.LVEF_M1_AGENTS | catalogue.LVEF_M3_AGENTS
# The plan states of a treatment under way: the readiness checklist is shown and M1 applies,
# including to a plan held for its LVEF.
TREATING_STATES = frozenset(SIGNED_STATES)


def treating_plans(case) -> list[TreatmentPlan]:
    """The case's plans in a treating state, latest version first (the case page's prefetched plans, if any)."""
    return [plan for plan in case.plans.all() if plan.state in TREATING_STATES]


def policy() -> ReadinessPolicy:
    return ReadinessPolicy(weight_change_percent=settings.READINESS_WEIGHT_CHANGE_PERCENT,
                           lvef_lower_limit_of_normal=settings.LVEF_LOWER_LIMIT_OF_NORMAL)


def calendar_days(plan: TreatmentPlan) -> dict[date, list[str]]:
    """Each date the signed calendar gives or dispenses something, with its drugs (calendar order)."""
    days: dict[date, list[str]] = {}
    for event in sorted(plan.calendar_events(), key=lambda event: event["date"]):
        drugs = days.setdefault(event["date"], [])
        if event["drug"] not in drugs:
            drugs.append(event["drug"])
    return days


def administration_days(plan: TreatmentPlan, as_of: date | None = None) -> dict[date, list[str]]:
    """Each date the plan gives or dispenses something, with its drugs: once anything is recorded, the doses
    given on their real dates and the others on the dates the schedule re-flows them to on `as_of` (default
    today); before that, the signed calendar."""
    return _days(plan, schedule_as_given(plan, as_of or timezone.localdate()))


def _days(plan: TreatmentPlan, as_given: ScheduleAsGiven | None) -> dict[date, list[str]]:
    return calendar_days(plan) if as_given is None else as_given.days()


def first_trastuzumab_dose_on(plan: TreatmentPlan) -> date | None:
    """The date of the first dose of the trastuzumab family, which fixes the LVEF baseline (M1): the first one
    given in the administration record of this plan and the plans it revised; while none is given, the first such
    date in their calendars (the earliest the first dose can be given)."""
    return _first_trastuzumab_dose_on(plan, schedule_as_given(plan, timezone.localdate()))


def _first_trastuzumab_dose_on(plan: TreatmentPlan, as_given: ScheduleAsGiven | None) -> date | None:
    """first_trastuzumab_dose_on with the plan's own schedule as given already read, on any day: the doses given
    do not depend on the day the schedule is re-flowed on."""
    versions = list(plan.revision_chain())
    today = timezone.localdate()
    schedules = [as_given] + [schedule_as_given(version, today) for version in versions[1:]]
    given = [schedule.first_given_on(TRASTUZUMAB_FAMILY) for schedule in schedules if schedule is not None]
    if any(given):
        return min(on for on in given if on is not None)
    return min((event["date"] for version in versions for event in version.calendar_events()
                if event["drug"] in TRASTUZUMAB_FAMILY), default=None)


@dataclass(frozen=True)
class CheckedLine:
    line: ReadinessLine
    decision: ReadinessDecision | None  # the decision that lifts this line's block, if one is recorded

    @property
    def blocks_given(self) -> bool:
        return self.line.blocks_given and self.decision is None

    @property
    def key(self) -> str:
        """Names the line in forms: check and drug."""
        return f"{self.line.check}:{self.line.drug or ''}"


@dataclass(frozen=True)
class DayReadiness:
    plan: TreatmentPlan
    day: date
    drugs: tuple[str, ...]
    lines: tuple[CheckedLine, ...]
    decisions: tuple[ReadinessDecision, ...]  # every decision recorded for the day, applied or not

    @property
    def blocks_given(self) -> bool:
        return any(line.blocks_given for line in self.lines)

    def line(self, key: str) -> CheckedLine | None:
        return next((line for line in self.lines if line.key == key), None)


def day_readiness(plan: TreatmentPlan, day: date,
                  read: dict[date, ScheduleAsGiven | None] | None = None) -> DayReadiness | None:
    """The checklist for `day`, or None when the plan gives nothing that day. A past day is read as the schedule
    stood that day (a dose due then and given later was still due then). The plan's schedule is re-flowed once,
    for the day's drugs and the first trastuzumab dose both, unless `read` has it already: the plan's schedules as
    given that the caller has read, by the day each was re-flowed on (None: nothing recorded)."""
    as_of = min(day, timezone.localdate())
    as_given = read[as_of] if read and as_of in read else schedule_as_given(plan, as_of)
    drugs = _days(plan, as_given).get(day)
    if drugs is None:
        return None
    checklist = readiness(day, drugs, case_series(plan.case), policy(), weight_used_kg=plan.dosing_weight_kg,
                          sex=plan.case.patient.sex,
                          first_trastuzumab_dose_on=_first_trastuzumab_dose_on(plan, as_given))
    decisions = tuple(ReadinessDecision.objects.filter(plan=plan, day=day).select_related("oncologist",
                                                                                          "recorded_by"))
    lines = tuple(CheckedLine(line, _latest_applying(decisions, line)) for line in checklist.lines)
    return DayReadiness(plan, day, tuple(drugs), lines, decisions)


def _latest_applying(decisions, line: ReadinessLine) -> ReadinessDecision | None:
    if not line.blocks_given:
        return None
    applying = [decision for decision in decisions if decision.applies_to(line)]
    return applying[-1] if applying else None


def record_decision(readiness: DayReadiness, checked: CheckedLine, *, oncologist, reason: str,
                    recorded_by) -> ReadinessDecision:
    """Record what lifts `checked`'s block: an override (a line that is not OK) or the go-ahead (a line that
    asks for it), bound to the data the line shows now."""
    decision = ReadinessDecision(
        plan=readiness.plan, day=readiness.day, check_name=checked.line.check, drug=checked.line.drug or "",
        decision=checked.line.resolution, line_text=checked.line.text, reason=reason, oncologist=oncologist,
        recorded_by=recorded_by,
    )
    decision.full_clean()
    decision.save()
    return decision
