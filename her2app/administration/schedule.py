"""The schedule that follows what really happened: the plan's calendar re-flowed from the administration record
by the engine (regimens.reflow: D8 with D1, D3, D4, D5), with the oncologist's re-load confirmations applied.

The plan's calendar stays what was signed; this is the calendar the nurse works from."""

from dataclasses import dataclass
from datetime import date

from her2app.administration.models import Administration, ReloadConfirmation
from her2app.plans.models import TreatmentPlan
from regimens import reflow as engine

CYCLES_AHEAD = 2


def option_with_final_doses(plan: TreatmentPlan) -> dict:
    """The option as signed: the engine's option with the plan's final doses."""
    return {**plan.option, "doses": [dose.as_engine_dose() for dose in plan.doses.all()]}


def engine_records(plan: TreatmentPlan) -> list[engine.Administration]:
    """The administration record as the engine reads it."""
    return [
        engine.Administration(
            drug=row.drug, cycle=row.cycle, day=row.day, status=row.status,
            on=row.given_on if row.is_given else row.recorded_at.date(),
            dose_mg=None if row.dose_mg is None else float(row.dose_mg), delayed_until=row.delayed_until,
        )
        for row in plan.administrations.all()
    ]


@dataclass(frozen=True)
class Upcoming:
    dose: engine.UpcomingDose
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
    reflow: engine.Reflow
    upcoming: tuple[Upcoming, ...]

    def find(self, drug: str, cycle: int, day: int) -> Upcoming | None:
        return next((item for item in self.upcoming
                     if (item.dose.drug, item.dose.cycle, item.dose.day) == (drug, cycle, day)), None)


def weight_used(plan: TreatmentPlan) -> float | None:
    return (plan.engine_input.get("patient") or {}).get("weight_kg")


def plan_schedule(plan: TreatmentPlan, as_of: date) -> Schedule:
    flowed = engine.reflow(option_with_final_doses(plan), plan.start_date, engine_records(plan), as_of,
                           weight_kg=weight_used(plan), cycles_ahead=CYCLES_AHEAD)
    confirmations = {(row.drug, row.cycle, row.day): row for row in plan.reload_confirmations.all()}
    upcoming = tuple(Upcoming(dose, confirmations.get((dose.drug, dose.cycle, dose.day)) if dose.needs_confirmation
                              else None) for dose in flowed.upcoming)
    return Schedule(plan, flowed, upcoming)


def confirm_reload(schedule: Schedule, drug: str, cycle: int, day: int, oncologist) -> ReloadConfirmation:
    """Record the oncologist's confirmation of the re-load the schedule proposes for this dose."""
    item = schedule.find(drug, cycle, day)
    if item is None or not item.awaits_confirmation or item.dose.give_mg is None:
        raise ValueError("No re-load awaits confirmation for this dose.")
    return ReloadConfirmation.objects.create(plan=schedule.plan, drug=drug, cycle=cycle, day=day,
                                             dose_mg=round(item.dose.give_mg, 1), proposal=item.dose.note or "",
                                             oncologist=oncologist)


def scheduled_on(plan: TreatmentPlan, drug: str, cycle: int, day: int) -> date | None:
    """The plan calendar's date for one administration (the day its readiness checklist belongs to)."""
    for event in plan.calendar_events():
        if (event["drug"], event["cycle"], event.get("day", 1)) == (drug, cycle, day):
            return event["date"]
    return None


def is_recorded(plan: TreatmentPlan, drug: str, cycle: int, day: int) -> bool:
    return Administration.objects.filter(plan=plan, drug=drug, cycle=cycle, day=day, status="given").exists()
