"""A plan's doses as they were given and as the schedule now re-flows them, for the apps below the
administration record that must follow it: the re-issued plan PDF (plans) and readiness and the LVEF baseline
(monitoring).

The administration app sits above both, so it registers the one source at start-up
(`AdministrationConfig.ready`) and they read it through here: no import runs upward. Without a source, or while
nothing of the plan (or of the versions it revised) is recorded, there is no schedule as given and the signed
calendar stands.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from her2app.plans.models import TreatmentPlan
from regimens.vocabulary import days_label


@dataclass(frozen=True)
class DoseAsGiven:
    """One administration (an oral drug: its cycle's supply): on the date it was given, or on its re-flowed date."""

    cycle: int
    day: int
    drug: str
    phase: str  # the plan's phase, or "loading" for a confirmed or proposed D8 re-load
    route: str
    frequency: str
    on: date  # given: the date it was given; due: the re-flowed date
    last_date: date  # an oral supply: the last day of its cycle; an infusion: `on`
    given: bool
    dose_mg: float | None  # given: the dose given; due: the dose to give (a confirmed re-load: its dose)
    planned_on: date  # the date the signed calendar gave it
    note: str = ""  # why the dose moved or what it is (D8, a confirmed re-load, an oral supply starting late)
    awaits_confirmation: bool = False  # a D8 re-load proposed and not yet confirmed by the oncologist

    @property
    def is_oral(self) -> bool:
        return self.route == "PO"

    @property
    def spans_days(self) -> bool:
        return self.last_date != self.on

    @property
    def first_date(self) -> date:
        return self.on

    @property
    def days_label(self) -> str:
        """'day 8'; an oral supply: the cycle days it covers ('days 1-21')."""
        return days_label(list(range(self.day, self.day + (self.last_date - self.on).days + 1)))

    @property
    def moved_days(self) -> int:
        """Days after the signed calendar's date (negative: earlier)."""
        return (self.on - self.planned_on).days


@dataclass(frozen=True)
class ScheduleAsGiven:
    """The doses given so far and the upcoming ones on their re-flowed dates, as of `as_of`, in date order; and a
    sentence for each past cycle's oral supply that nothing in the record accounts for (neither given nor due)."""

    as_of: date
    doses: tuple[DoseAsGiven, ...]
    supplies_not_recorded: tuple[str, ...] = ()

    def days(self) -> dict[date, list[str]]:
        """Each date with the drugs given or due that day."""
        found: dict[date, list[str]] = {}
        for dose in sorted(self.doses, key=lambda dose: dose.on):
            drugs = found.setdefault(dose.on, [])
            if dose.drug not in drugs:
                drugs.append(dose.drug)
        return found

    def first_given_on(self, drugs: Iterable[str]) -> date | None:
        drugs = set(drugs)
        return min((dose.on for dose in self.doses if dose.given and dose.drug in drugs), default=None)

    def due(self, drug: str, cycle: int, day: int) -> DoseAsGiven | None:
        """The upcoming administration (drug, cycle, day), if it is still due."""
        return next((dose for dose in self.upcoming if (dose.drug, dose.cycle, dose.day) == (drug, cycle, day)), None)

    @property
    def given(self) -> tuple[DoseAsGiven, ...]:
        return tuple(dose for dose in self.doses if dose.given)

    @property
    def upcoming(self) -> tuple[DoseAsGiven, ...]:
        return tuple(dose for dose in self.doses if not dose.given)


Source = Callable[[TreatmentPlan, date], ScheduleAsGiven | None]
Recorded = Callable[[Iterable[TreatmentPlan]], set[int]]
_source: dict[str, Callable] = {}


def register(schedule: Source, recorded: Recorded) -> None:
    """The administration app's schedule as given, and which of many plans may have one (their ids, in a few
    queries: lists of plans ask only for those). Registering again replaces both."""
    _source.update(schedule=schedule, recorded=recorded)


def schedule_as_given(plan: TreatmentPlan, as_of: date) -> ScheduleAsGiven | None:
    """The plan's schedule as given and re-flowed on `as_of`; None while nothing is recorded (the calendar
    stands)."""
    return _source["schedule"](plan, as_of) if _source else None


def schedules_as_given(plans: Iterable[TreatmentPlan], as_of: date) -> dict[int, ScheduleAsGiven]:
    """The schedules as given of those of `plans` that have one, by plan id."""
    if not _source:
        return {}
    plans = list(plans)
    recorded = _source["recorded"](plans)
    found = {plan.pk: _source["schedule"](plan, as_of) for plan in plans if plan.pk in recorded}
    return {pk: schedule for pk, schedule in found.items() if schedule is not None}
