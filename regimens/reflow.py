"""The schedule that follows what really happened (D8, with D1, D3, D4, D5 for the regimens' cycles).

`reflow` takes a plan's option (its dose lines and cycle length, as `build_schedule` does), the planned start
(cycle 1 day 1) and the administration record so far, and returns the upcoming doses with their real dates,
cycle numbers and days, and for each one what to give.

How the calendar moves (each one a reading; see NOTES.md):
- A cycle's day 1 is a fact once something of the cycle was given: the date of its day-1 infusion (the
  earliest implied by a given infusion, else by a given oral supply). Its later days count from there.
- A cycle not started yet begins at the latest of: the previous cycle's day 1 + the cycle length, and for each
  infusion drug given on day 1, its last dose + its interval (21 days 3-weekly, 7 days weekly). So no dose is
  ever earlier than its interval after the same drug's last dose, and a late infusion delays the whole next
  cycle: the cycle-2 tablets start on the new cycle-2 day 1.
- A dose not given yet is never dated before `as_of` (a dose whose date has passed is due as soon as possible),
  nor before a recorded "delayed until" date. Held and delayed infusions stay due: D8 says a late dose is given,
  not skipped. A held oral supply is not made up (D1), nor is one whose cycle has ended.
- An oral supply with nothing in the record for a past cycle (one before the latest cycle started, or one whose
  cycle has ended) is reported as not recorded: neither given nor passed over, since the tablets may have been
  dispensed and not recorded. The window of `cycles_ahead` cycles counts the cycles with an upcoming dose other
  than a started cycle's tablets, so which infusions are listed does not depend on whether the tablets were
  recorded.
- D8 is judged for the next dose of trastuzumab, pertuzumab and trastuzumab deruxtecan against the same drug's
  last dose (`missed_dose`): a re-load is a proposal the oncologist confirms (`needs_confirmation`).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from regimens import catalogue as cat
from regimens.measurements import format_date
from regimens.schedule import cycle_date, day1_of, missed_dose, planned_cycle, planned_date
from regimens.vocabulary import drug_name, drug_title

STATUSES = ("given", "held", "delayed")
ORAL = "PO"


@dataclass(frozen=True)
class Administration:
    """What the record says about one planned administration of the plan (drug, cycle, day)."""

    drug: str
    cycle: int
    day: int
    status: str  # given | held | delayed
    on: date | None = None  # given: the date it was given (required); held, delayed: when it was recorded
    dose_mg: float | None = None  # given: the dose given (kept for display; the re-flow does not need it)
    delayed_until: date | None = None  # delayed: not before this date


@dataclass(frozen=True)
class UpcomingDose:
    """One administration still to come, on its re-flowed date, and what to give."""

    date: date
    cycle: int
    day: int
    drug: str
    phase: str  # the plan's phase (loading | maintenance | continuous)
    route: str
    frequency: str
    planned_mg: float | None  # the plan's dose (None: the oncologist has not set it, S4)
    planned_date: date  # the date the plan gave it before anything moved
    shift_days: int  # days after planned_date
    days_late: int  # infusions: days after the drug's last dose + its interval (D8's scheduled date); oral: 0
    give_phase: str  # the plan's phase, or "loading" for a D8 re-load
    give_mg: float | None  # what to give (a re-load: the D8 dose; None without a weight)
    needs_confirmation: bool  # a D8 re-load: a proposal the oncologist confirms before it is given
    note: str | None  # D8's sentence, or the oral-supply sentence, when the dose moved
    ref: str | None
    last_date: date  # an oral supply: the last day of its cycle; an infusion: its date

    def as_event(self) -> dict:
        """The build_schedule event shape (the plan's phase and dose) with the re-flow's fields added."""
        return {
            "date": self.date, "cycle": self.cycle, "day": self.day, "drug": self.drug, "dose_mg": self.planned_mg,
            "phase": self.phase, "route": self.route, "frequency": self.frequency, "last_date": self.last_date,
            "planned_date": self.planned_date, "shift_days": self.shift_days, "days_late": self.days_late, "give_phase": self.give_phase,
            "give_mg": self.give_mg, "needs_confirmation": self.needs_confirmation, "note": self.note,
            "ref": self.ref,
        }


@dataclass(frozen=True)
class CycleStart:
    cycle: int
    day1: date
    started: bool  # True: something of this cycle was given, so day 1 is a fact; False: re-flowed
    delay_days: int  # days after the previous cycle's day 1 + the cycle length (cycle 1: after the planned start)


@dataclass(frozen=True)
class SupplyGap:
    """Days between the end of one cycle's oral supply and the start of the next cycle's (a delayed cycle)."""

    drug: str
    after_cycle: int
    first_day: date
    last_day: date
    text: str

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1


@dataclass(frozen=True)
class PassedOver:
    """A planned administration that will not be given: a later dose of the drug was given, or an oral supply
    was held or its cycle has ended (D1: not made up)."""

    drug: str
    cycle: int
    day: int
    why: str


@dataclass(frozen=True)
class SupplyNotRecorded:
    """A past cycle's oral supply with nothing in the record: not counted as given, not dropped as missed."""

    drug: str
    cycle: int
    first_day: date  # the cycle's day 1
    last_day: date  # the cycle's last day

    @property
    def text(self) -> str:
        return (f"{drug_title(self.drug)}, cycle {self.cycle} ({format_date(self.first_day)} to "
                f"{format_date(self.last_day)}): supply not recorded.")


@dataclass(frozen=True)
class Reflow:
    cycles: tuple[CycleStart, ...]
    upcoming: tuple[UpcomingDose, ...]
    passed_over: tuple[PassedOver, ...]
    supply_gaps: tuple[SupplyGap, ...]
    supplies_not_recorded: tuple[SupplyNotRecorded, ...] = ()

    def events(self) -> list[dict]:
        return [dose.as_event() for dose in self.upcoming]


class _Record:
    """The administration record by (drug, cycle, day)."""

    def __init__(self, option: dict, administrations: Iterable[Administration]):
        self.given: dict[tuple, date] = {}
        self.held: set[tuple] = set()
        self.recorded: set[tuple] = set()  # every (drug, cycle, day) with an entry, whatever its status
        self.until: dict[tuple, date] = {}
        for record in administrations:
            self._add(option, record)
        self.last_given: dict[str, tuple[int, int]] = {}
        for drug, cycle, day in self.given:
            self.last_given[drug] = max(self.last_given.get(drug, (0, 0)), (cycle, day))
        self.last_started_cycle = max((cycle for _, cycle, _ in self.given), default=0)

    def _add(self, option: dict, record: Administration) -> None:
        if record.status not in STATUSES:
            raise ValueError(f"administration status must be one of {', '.join(STATUSES)}")
        key = (record.drug, record.cycle, record.day)
        self.recorded.add(key)
        if record.cycle < 1 or all((day, dose["drug"]) != (record.day, record.drug)
                                   for day, dose in planned_cycle(option, record.cycle)):
            raise ValueError(f"{record.drug} is not planned on cycle {record.cycle} day {record.day}")
        if record.status == "given":
            if record.on is None:
                raise ValueError("a given administration needs the date it was given")
            self.given[key] = record.on
        elif record.status == "held":
            self.held.add(key)
        if record.delayed_until is not None:
            self.until[key] = max(self.until.get(key, record.delayed_until), record.delayed_until)

    def given_in(self, cycle: int) -> list[tuple[str, int, date]]:
        return [(drug, day, on) for (drug, c, day), on in self.given.items() if c == cycle]


def _interval_days(option: dict) -> dict[str, tuple[str, int]]:
    """Each repeating infusion drug's D8 schedule (q3w | weekly) and interval in days."""
    found = {}
    for dose in option.get("doses") or []:
        schedule = cat.FREQUENCY_SCHEDULE.get(dose["frequency"])
        if dose["route"] != ORAL and schedule:
            found[dose["drug"]] = (schedule, cat.SCHEDULE_INTERVAL_DAYS[schedule])
    return found


def reflow(
    option: dict,
    start: date,
    administrations: Iterable[Administration],
    as_of: date,
    *,
    weight_kg: float | None = None,
    cycles_ahead: int = 2,
) -> Reflow:
    """The upcoming doses of `cycles_ahead` cycles (counting the current one), re-flowed from what was given.

    `option` is an element of the engine's output["options"] (its doses carry the plan's final dose_mg);
    `start` the planned cycle 1 day 1; `as_of` today (nothing upcoming is dated before it); `weight_kg` the weight
    a D8 re-load is calculated with (None: the re-load's mg is left for the oncologist).
    Raises ValueError for a record that does not match a planned administration.
    """
    if cycles_ahead < 1:
        raise ValueError("cycles_ahead must be at least 1")
    cycle_days = option.get("cycle_days")
    if not cycle_days or not option.get("doses"):
        return Reflow((), (), (), ())
    flow = _Flow(option, start, _Record(option, administrations), as_of, weight_kg)
    cycle, cycles_with_upcoming = 0, 0
    while cycles_with_upcoming < cycles_ahead or cycle < flow.record.last_started_cycle:
        cycle += 1
        cycles_with_upcoming += flow.add_cycle(cycle)
    return Reflow(tuple(flow.cycles), tuple(flow.upcoming), tuple(flow.passed_over), tuple(flow.supply_gaps()),
                  tuple(flow.not_recorded))


class _Flow:
    def __init__(self, option: dict, start: date, record: _Record, as_of: date, weight_kg: float | None):
        self.option, self.start, self.record, self.as_of, self.weight_kg = option, start, record, as_of, weight_kg
        self.cycle_days = option["cycle_days"]
        self.cycle_length = timedelta(days=self.cycle_days)
        self.intervals = _interval_days(option)
        self.last_dose: dict[str, date] = {}  # each drug's last dose, given or (once re-flowed) expected
        self.cycles: list[CycleStart] = []
        self.upcoming: list[UpcomingDose] = []
        self.passed_over: list[PassedOver] = []
        self.not_recorded: list[SupplyNotRecorded] = []
        self.oral_cycles: dict[str, list[int]] = {}  # drug -> cycles whose supply is given or upcoming

    def _interval(self, drug: str) -> timedelta:
        return timedelta(days=self.intervals[drug][1])

    def _expected_day1(self, cycle: int) -> date:
        return self.start if cycle == 1 else self.cycles[-1].day1 + self.cycle_length

    def _day1(self, cycle: int, planned: list[tuple[int, dict]]) -> tuple[date, bool]:
        given = self.record.given_in(cycle)
        if given:
            routes = {(dose["drug"], day): dose["route"] for day, dose in planned}
            implied = [(routes[(drug, day)] == ORAL, day1_of(on, day)) for drug, day, on in given]
            return min(implied)[1], True  # an infusion's date first, else an oral supply's
        earliest = [self._expected_day1(cycle)]
        if cycle > self.record.last_started_cycle:  # an earlier cycle with nothing given stays where it was planned
            earliest.append(self.as_of)
        for day, dose in planned:
            drug, key = dose["drug"], (dose["drug"], cycle, day)
            if day == 1 and drug in self.intervals and drug in self.last_dose:
                earliest.append(self.last_dose[drug] + self._interval(drug))
            if key in self.record.until:
                earliest.append(day1_of(self.record.until[key], day))
        return max(earliest), False

    def add_cycle(self, cycle: int) -> int:
        """Re-flow one cycle; 1 when it counts in the window: an upcoming dose other than a started cycle's
        tablets (whose record trails the infusions), else 0."""
        planned = sorted(planned_cycle(self.option, cycle), key=lambda item: item[0])
        day1, started = self._day1(cycle, planned)
        self.cycles.append(CycleStart(cycle, day1, started, (day1 - self._expected_day1(cycle)).days))
        before = len(self.upcoming)
        for day, dose in planned:
            self._add_dose(cycle, day, dose, day1)
        return int(any(not (started and dose.route == ORAL) for dose in self.upcoming[before:]))

    def _passed_over(self, drug: str, cycle: int, day: int, why: str) -> None:
        self.passed_over.append(PassedOver(drug, cycle, day, why))

    def _add_dose(self, cycle: int, day: int, dose: dict, day1: date) -> None:
        drug, key = dose["drug"], (dose["drug"], cycle, day)
        oral = dose["route"] == ORAL
        if key in self.record.given:
            self.last_dose[drug] = max(self.last_dose.get(drug, self.record.given[key]), self.record.given[key])
            if oral:
                self.oral_cycles.setdefault(drug, []).append(cycle)
            return
        if (cycle, day) < self.record.last_given.get(drug, (0, 0)):
            self._passed_over(drug, cycle, day, "a later dose was given")
            return
        if oral and key in self.record.held:
            self._passed_over(drug, cycle, day, f"held; {self._not_made_up(drug)}")
            return
        on = max(cycle_date(day1, day), self.as_of, self.record.until.get(key, self.as_of))
        if drug in self.intervals and drug in self.last_dose:
            on = max(on, self.last_dose[drug] + self._interval(drug))
        cycle_ended = on >= day1 + self.cycle_length
        if oral and key not in self.record.recorded and (cycle_ended or cycle < self.record.last_started_cycle):
            self.not_recorded.append(SupplyNotRecorded(drug, cycle, day1, cycle_date(day1, self.cycle_days)))
            return
        if oral and cycle_ended:
            self._passed_over(drug, cycle, day, f"its cycle has ended; {self._not_made_up(drug)}")
            return
        self.upcoming.append(self._upcoming(cycle, day, dose, day1, on))
        self.last_dose[drug] = on
        if oral:
            self.oral_cycles.setdefault(drug, []).append(cycle)

    @staticmethod
    def _not_made_up(drug: str) -> str:
        ref = cat.ORAL_MISSED_DOSE_NOT_MADE_UP.get(drug)
        if ref:
            return f"a missed dose is not made up ({ref})"
        return "a cycle's supply is not carried over (the reference is silent for this drug)"

    def _upcoming(self, cycle: int, day: int, dose: dict, day1: date, on: date) -> UpcomingDose:
        drug, planned_mg = dose["drug"], None if dose["dose_mg"] is None else float(dose["dose_mg"])
        planned_on = planned_date(self.start, self.cycle_days, cycle, day)
        common = dict(date=on, cycle=cycle, day=day, drug=drug, phase=dose["phase"], route=dose["route"],
                      frequency=dose["frequency"], planned_mg=planned_mg, planned_date=planned_on,
                      shift_days=(on - planned_on).days)
        plain = dict(days_late=0, give_phase=dose["phase"], give_mg=planned_mg, needs_confirmation=False, note=None,
                     ref=None, last_date=on)
        if dose["route"] == ORAL:
            return UpcomingDose(**common, **{**plain, **self._oral_supply(cycle, drug, day1)})
        if drug not in self.last_dose or drug not in self.intervals:
            return UpcomingDose(**common, **plain)
        return UpcomingDose(**common, **{**plain, **self._missed_dose(dose, on)})

    def _oral_supply(self, cycle: int, drug: str, day1: date) -> dict:
        """An oral supply covers its cycle; when the cycle starts late, the supply starts with it."""
        found = {"last_date": cycle_date(day1, self.cycle_days)}
        if self.cycles[-1].delay_days > 0:
            ref = cat.ORAL_MISSED_DOSE_NOT_MADE_UP.get(drug)
            found["note"] = (f"Cycle {cycle} starts {self.cycles[-1].delay_days} days late, on {format_date(day1)}: "
                             f"its {drug_name(drug)} supply starts then"
                             f"{f' (a missed dose is not made up, {ref})' if ref else ''}.")
            found["ref"] = ref
        return found

    def _missed_dose(self, dose: dict, on: date) -> dict:
        """D8 for the next dose after the drug's last one: nothing when on time."""
        drug = dose["drug"]
        schedule, interval = self.intervals[drug]
        days_late = (on - self.last_dose[drug]).days - interval
        if drug not in cat.MISSED_DOSE_DRUGS or days_late <= 0:
            return {"days_late": max(0, days_late)}
        decision = missed_dose(drug, self.last_dose[drug], on, schedule, self.weight_kg, dose.get("mg_per_kg"))
        found = {"days_late": days_late, "note": decision.text, "ref": decision.ref}
        if decision.action == "reload":
            found.update(give_phase="loading", give_mg=decision.dose_mg, needs_confirmation=True)
        return found

    def supply_gaps(self) -> list[SupplyGap]:
        day1 = {start.cycle: start.day1 for start in self.cycles}
        gaps = []
        for drug, cycles in self.oral_cycles.items():
            for before, after in zip(cycles, cycles[1:]):
                supply_end = day1[before] + self.cycle_length
                if after == before + 1 and day1[after] > supply_end:
                    gaps.append(self._gap(drug, before, supply_end, day1[after] - timedelta(days=1)))
        return gaps

    def _gap(self, drug: str, cycle: int, first: date, last: date) -> SupplyGap:
        name = drug_name(drug)
        text = (f"The cycle-{cycle} supply of {name} ends before cycle {cycle + 1} starts: no tablets from "
                f"{format_date(first)} to {format_date(last)}. The reference does not say whether the tablets "
                "continue through a delayed cycle: the oncologist decides.")
        return SupplyGap(drug, cycle, first, last, text)
