"""The schedule that follows what really happened: the plan's calendar re-flowed from the administration record
by the engine (regimens.reflow: D8 with D1, D3, D4, D5), with the oncologist's re-load confirmations applied.

The record read is that of the plan and of the versions of the same regimen it revised (a dose reduction is a
new version: what was given before it still counts). Oral drugs are given by their cycle's supply record.
The plan's calendar stays what was signed; this is the calendar the nurse works from, and the one the re-issued
PDF prints and readiness follows (registered as `plans.as_given`'s source).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import takewhile
from datetime import date

from django.conf import settings

from her2app.accounts.people import person_name
from her2app.administration.models import Administration, ReloadConfirmation, SupplyRecord
from her2app.plans.as_given import DoseAsGiven, ScheduleAsGiven
from her2app.plans.models import TreatmentPlan
from regimens import reflow
from regimens.reflow import ORAL, Reflow, UpcomingDose
from regimens.schedule import cycle_date, planned_cycle, planned_date
from regimens.vocabulary import drug_name

CYCLES_AHEAD = 2


def recorded_versions(plan: TreatmentPlan) -> list[TreatmentPlan]:
    """The plan and the versions of the same regimen it revised, newest first: one administration record."""
    return list(takewhile(lambda version: version.regimen == plan.regimen, plan.revision_chain()))


def engine_records(plan: TreatmentPlan) -> list[reflow.Administration]:
    """The administration record as the engine reads it: each entry, and each oral supply as its cycle given."""
    versions = recorded_versions(plan)
    entries = [
        reflow.Administration(
            drug=row.drug, cycle=row.cycle, day=row.day, status=row.status,
            on=row.given_on if row.is_given else row.recorded_at.date(),
            dose_mg=None if row.dose_mg is None else float(row.dose_mg), delayed_until=row.delayed_until,
        )
        for row in Administration.objects.filter(plan__in=versions)
    ]
    supplies = [reflow.Administration(drug=row.drug, cycle=row.cycle, day=1, status="given", on=row.dispensed_on)
                for row in SupplyRecord.objects.filter(plan__in=versions)]
    return entries + supplies


@dataclass(frozen=True)
class Upcoming:
    dose: UpcomingDose
    confirmation: ReloadConfirmation | None

    @property
    def awaits_confirmation(self) -> bool:
        return self.dose.needs_confirmation and self.confirmation is None

    @property
    def key(self) -> str:
        return f"{self.dose.drug}-{self.dose.cycle}-{self.dose.day}"


@dataclass(frozen=True)
class Schedule:
    plan: TreatmentPlan
    option: dict  # the plan's option as signed, which the re-flow read
    records: tuple[reflow.Administration, ...]  # the record the re-flow read
    reflow: Reflow
    upcoming: tuple[Upcoming, ...]
    as_of: date  # the day it was re-flowed on

    def find(self, drug: str, cycle: int, day: int) -> Upcoming | None:
        return next((item for item in self.upcoming
                     if (item.dose.drug, item.dose.cycle, item.dose.day) == (drug, cycle, day)), None)


def plan_schedule(plan: TreatmentPlan, as_of: date, cycles_ahead: int = CYCLES_AHEAD) -> Schedule:
    records = engine_records(plan)
    option = plan.option_as_signed()
    flowed = reflow.reflow(option, plan.start_date, records, as_of,
                           weight_kg=plan.dosing_weight_kg, cycles_ahead=cycles_ahead)
    confirmations = {(row.drug, row.cycle, row.day): row
                     for row in plan.reload_confirmations.select_related("oncologist")}
    upcoming = tuple(Upcoming(dose, confirmations.get((dose.drug, dose.cycle, dose.day)) if dose.needs_confirmation
                              else None) for dose in flowed.upcoming)
    return Schedule(plan, option, tuple(records), flowed, upcoming, as_of)


def confirm_reload(schedule: Schedule, drug: str, cycle: int, day: int, oncologist) -> ReloadConfirmation:
    """Record the oncologist's confirmation of the re-load the schedule proposes for this dose."""
    item = schedule.find(drug, cycle, day)
    if item is None or not item.awaits_confirmation or item.dose.give_mg is None:
        raise ValueError("No re-load awaits confirmation for this dose.")
    return ReloadConfirmation.objects.create(plan=schedule.plan, drug=drug, cycle=cycle, day=day,
                                             dose_mg=round(item.dose.give_mg, 1), proposal=item.dose.note or "",
                                             oncologist=oncologist)


def scheduled_on(schedule: Schedule, drug: str, cycle: int, day: int) -> date | None:
    """The day an administration belongs to, whose readiness checklist it is given under: its re-flowed date while
    it is upcoming; the signed calendar's date otherwise (given, or passed over). None: the plan has no such dose."""
    upcoming = schedule.find(drug, cycle, day)
    if upcoming is not None:
        return upcoming.dose.date
    for event in schedule.plan.calendar_events():
        if (event["drug"], event["cycle"], event.get("day", 1)) == (drug, cycle, day):
            return event["date"]
    return None


def supply_is_due(schedule: Schedule, drug: str, cycle: int) -> bool:
    """Whether this oral supply can be recorded now: its cycle is under way or coming, or it was never recorded."""
    upcoming = schedule.find(drug, cycle, 1)
    if upcoming is not None and upcoming.dose.route == "PO":
        return True
    return any((gap.drug, gap.cycle) == (drug, cycle) for gap in schedule.reflow.supplies_not_recorded)


# --- the schedule as given, for the PDF and readiness (plans.as_given) -----------------------------------------
def _due(item: Upcoming) -> DoseAsGiven:
    dose, confirmation = item.dose, item.confirmation
    give_mg, note = dose.give_mg, dose.note or ""
    if confirmation is not None:
        give_mg = float(confirmation.dose_mg)
        note = f"{note} Re-load of {give_mg:g} mg confirmed by {person_name(confirmation.oncologist)}.".strip()
    elif item.awaits_confirmation:
        give_mg = dose.planned_mg
        note = f"{note} The re-load awaits the oncologist's confirmation.".strip()
    phase = dose.phase if item.awaits_confirmation else dose.give_phase
    return DoseAsGiven(cycle=dose.cycle, day=dose.day, drug=dose.drug, phase=phase, route=dose.route,
                       frequency=dose.frequency, on=dose.date, last_date=dose.last_date, given=False,
                       dose_mg=give_mg, planned_on=dose.planned_date, note=note,
                       awaits_confirmation=item.awaits_confirmation)


def _given(schedule: Schedule) -> list[DoseAsGiven]:
    plan, option = schedule.plan, schedule.option
    cycle_days = option["cycle_days"]
    day1 = {start.cycle: start.day1 for start in schedule.reflow.cycles}
    found = []
    for record in schedule.records:
        if record.status != "given":
            continue
        line = next(dose for day, dose in planned_cycle(option, record.cycle)
                    if (day, dose["drug"]) == (record.day, record.drug))
        oral = line["route"] == ORAL
        last = cycle_date(day1[record.cycle], cycle_days) if oral and record.cycle in day1 else record.on
        dose_mg = record.dose_mg if record.dose_mg is not None else line["dose_mg"]
        planned_on = planned_date(plan.start_date, cycle_days, record.cycle, record.day)
        note = f"Supply of {drug_name(record.drug)} for cycle {record.cycle}." if oral else ""
        found.append(DoseAsGiven(cycle=record.cycle, day=record.day, drug=record.drug, phase=line["phase"],
                                 route=line["route"], frequency=line["frequency"], on=record.on,
                                 last_date=max(last, record.on), given=True,
                                 dose_mg=None if dose_mg is None else float(dose_mg), planned_on=planned_on,
                                 note=note))
    return found


def plans_with_records(plans: Iterable[TreatmentPlan]) -> set[int]:
    """The ids of those of `plans` whose case has anything recorded (a superset of the plans with a record of
    their own or of the versions they revised), in two queries."""
    plans = list(plans)
    cases = {plan.case_id for plan in plans}
    recorded = set(Administration.objects.filter(plan__case__in=cases).values_list("plan__case", flat=True))
    recorded |= set(SupplyRecord.objects.filter(plan__case__in=cases).values_list("plan__case", flat=True))
    return {plan.pk for plan in plans if plan.case_id in recorded}


def calendar_schedule(plan: TreatmentPlan, as_of: date) -> Schedule:
    """The plan's schedule as many cycles ahead as the signed calendar prints: the one its schedule as given reads."""
    return plan_schedule(plan, as_of, settings.PLAN_CALENDAR_CYCLES)


def schedule_as_given(plan: TreatmentPlan, as_of: date) -> ScheduleAsGiven | None:
    """The doses given (on their real dates) and the upcoming ones (on their re-flowed dates); None while nothing
    is recorded for the plan or the versions it revised. As many cycles ahead as the signed calendar prints."""
    return as_given(calendar_schedule(plan, as_of))


def as_given(schedule: Schedule) -> ScheduleAsGiven | None:
    """schedule_as_given from a schedule already re-flowed (by calendar_schedule)."""
    if not schedule.records:
        return None
    doses = _given(schedule) + [_due(item) for item in schedule.upcoming]
    doses.sort(key=lambda dose: (dose.on, dose.cycle, dose.is_oral, dose.day, dose.drug))
    return ScheduleAsGiven(schedule.as_of, tuple(doses),
                           tuple(supply.text for supply in schedule.reflow.supplies_not_recorded))
