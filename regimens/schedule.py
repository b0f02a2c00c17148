"""Cycle calendar for a chosen option, and the missed-dose rule (D8).

build_schedule works on one element of output["options"] (plain JSON), so a
plan's stored engine snapshot can be scheduled again later.

Oral continuous drugs (tucatinib, lapatinib) get ONE event per cycle, on day 1,
carrying the frequency (BID / daily): the drug is taken every day of the
cycle, and listing 21 (or 42) rows per cycle would bury the infusion days.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from regimens import catalogue as cat
from regimens.doses import weight_based_mg
from regimens.measurements import format_date


def _event(day_date: date, cycle: int, day: int, dose: dict, frequency: str | None = None) -> dict:
    return {
        "date": day_date,
        "cycle": cycle,
        "day": day,
        "drug": dose["drug"],
        "dose_mg": None if dose["dose_mg"] is None else float(dose["dose_mg"]),  # None: the oncologist sets it
        "phase": dose["phase"],
        "route": dose["route"],
        "frequency": frequency or dose["frequency"],
    }


def _days_in_cycle(dose: dict, cycle: int, loading_days: set[tuple[str, int]]) -> list[int]:
    days = list(dose.get("days") or [1])
    phase = dose["phase"]
    if phase == "loading":
        return days if cycle == 1 else []  # loading dose on cycle 1 only
    if phase == "continuous":
        return days[:1]  # one event per cycle (see module docstring)
    if cycle == 1:
        # The loading dose replaces the maintenance dose on the same day (D1, D3, D4: "loading, then ...").
        return [day for day in days if (dose["drug"], day) not in loading_days]
    return days


def cycle_date(day1: date, day: int) -> date:
    """The date of day `day` of a cycle whose day 1 is `day1` (day `cycle_days`: the cycle's last day)."""
    return day1 + timedelta(days=day - 1)


def day1_of(on: date, day: int) -> date:
    """Day 1 of the cycle whose day `day` falls on `on`."""
    return on - timedelta(days=day - 1)


def planned_date(start: date, cycle_days: int, cycle: int, day: int = 1) -> date:
    """The date the plan gives day `day` of cycle `cycle`: cycle 1 day 1 is `start`, each cycle `cycle_days` long."""
    return cycle_date(start + timedelta(days=(cycle - 1) * cycle_days), day)


def build_schedule(option: dict, start: date, cycles: int) -> list[dict]:
    """Dated dose events for `cycles` cycles of an option starting on `start` (cycle 1 day 1)."""
    if cycles < 1:
        raise ValueError("cycles must be at least 1")
    cycle_days = option.get("cycle_days")
    doses = option.get("doses") or []
    if not cycle_days or not doses:
        return []
    events = []
    for cycle in range(1, cycles + 1):
        for day, dose in planned_cycle(option, cycle):
            events.append(_event(planned_date(start, cycle_days, cycle, day), cycle, day, dose))
    events.sort(key=lambda event: event["date"])  # stable: same-day events keep the regimen's dose order
    return events


def planned_cycle(option: dict, cycle: int) -> list[tuple[int, dict]]:
    """(cycle day, dose line) of every administration the option plans in one cycle, in the regimen's dose order
    (the loading dose on cycle 1 replaces the maintenance dose of the same drug and day)."""
    doses = option.get("doses") or []
    loading_days = {(dose["drug"], day) for dose in doses if dose["phase"] == "loading" for day in dose["days"]}
    return [(day, dose) for dose in doses for day in _days_in_cycle(dose, cycle, loading_days)]


@dataclass(frozen=True)
class MissedDoseDecision:
    drug: str
    schedule: str  # q3w | weekly
    action: str  # maintenance | reload | as_soon_as_possible
    dose_mg: float | None  # None for a weight-based dose when no weight is given
    mg_per_kg: float | None
    days_since_last_dose: int
    days_late: int  # days past the scheduled date (0 or less: not late)
    text: str
    ref: str = "D8"
    next_dose_from: date | None = None  # the earliest date of the following dose, when D8 moves the schedule


def _trastuzumab_decision(schedule: str, days_since: int, weight_kg: float | None) -> MissedDoseDecision:
    interval = cat.SCHEDULE_INTERVAL_DAYS[schedule]
    days_late = days_since - interval
    maintenance, reload = cat.MISSED_DOSE_MG_PER_KG[schedule]
    if days_late <= cat.MISSED_TRASTUZUMAB_MAX_DAYS_LATE:
        action, mg_per_kg = "maintenance", maintenance
        text = f"Up to 1 week late: give the maintenance dose ({mg_per_kg:g} mg/kg) as soon as possible."
    else:
        action, mg_per_kg = "reload", reload
        text = (
            f"More than 1 week late: re-load with {mg_per_kg:g} mg/kg, then continue {maintenance:g} mg/kg "
            f"{'every 3 weeks' if schedule == 'q3w' else 'weekly'}."
        )
    dose_mg = None if weight_kg is None else weight_based_mg(mg_per_kg, weight_kg)
    return MissedDoseDecision("trastuzumab", schedule, action, dose_mg, mg_per_kg, days_since, days_late, text)


def _pertuzumab_decision(days_since: int) -> MissedDoseDecision:
    days_late = days_since - cat.SCHEDULE_INTERVAL_DAYS["q3w"]
    if timedelta(days=days_since) >= timedelta(weeks=cat.PERTUZUMAB_RELOAD_AFTER_WEEKS):
        dose, action = cat.PERTUZUMAB_LOADING_MG, "reload"
        text = (
            f"{cat.PERTUZUMAB_RELOAD_AFTER_WEEKS} weeks or more since the last dose: re-load {dose:g} mg, then "
            f"{cat.PERTUZUMAB_MAINTENANCE_MG:g} mg every 3 weeks."
        )
    else:
        dose, action = cat.PERTUZUMAB_MAINTENANCE_MG, "maintenance"
        text = f"Less than {cat.PERTUZUMAB_RELOAD_AFTER_WEEKS} weeks since the last dose: give {dose:g} mg."
    return MissedDoseDecision("pertuzumab", "q3w", action, float(dose), None, days_since, days_late, text)


def _tdxd_decision(days_since: int, today: date, weight_kg: float | None, mg_per_kg: float | None) -> MissedDoseDecision:
    mg_per_kg = mg_per_kg or cat.TDXD_DOSE_LEVELS_MG_PER_KG[0]
    next_from = today + timedelta(days=cat.TDXD_INTERVAL_DAYS)
    text = (
        f"Give the delayed {cat.TDXD_NAME} dose ({mg_per_kg:g} mg/kg) as soon as possible, without waiting for the "
        f"next planned cycle; the schedule moves to keep 3 weeks between doses (next dose from {format_date(next_from)})."
    )
    dose_mg = None if weight_kg is None else weight_based_mg(mg_per_kg, weight_kg)
    days_late = days_since - cat.TDXD_INTERVAL_DAYS
    return MissedDoseDecision("trastuzumab_deruxtecan", "q3w", "as_soon_as_possible", dose_mg, mg_per_kg, days_since,
                              days_late, text, next_dose_from=next_from)


def missed_dose(
    drug: str, last_dose_date: date, today: date, schedule: str = "q3w", weight_kg: float | None = None,
    mg_per_kg: float | None = None,
) -> MissedDoseDecision:
    """D8: what to give for a late trastuzumab (3-weekly or weekly), pertuzumab or trastuzumab deruxtecan dose.

    `last_dose_date` is the date of the last dose actually given; `today` is when the late dose would be
    given. Trastuzumab: up to 7 days past the scheduled date -> maintenance, later -> re-load (8 mg/kg on
    the 3-weekly schedule, 4 mg/kg on the weekly one). Pertuzumab: >= 6 weeks since the last dose -> re-load.
    Trastuzumab deruxtecan: the dose level the patient is on (`mg_per_kg`, default the starting 5.4 mg/kg) as
    soon as possible, and the next dose 3 weeks later.
    """
    if schedule not in cat.SCHEDULE_INTERVAL_DAYS:
        raise ValueError(f"schedule must be one of {', '.join(cat.SCHEDULE_INTERVAL_DAYS)}")
    days_since = (today - last_dose_date).days
    if days_since < 0:
        raise ValueError("today is before the last dose date")
    if drug == "trastuzumab":
        return _trastuzumab_decision(schedule, days_since, weight_kg)
    if drug in ("pertuzumab", "trastuzumab_deruxtecan") and schedule != "q3w":
        raise ValueError(f"{drug} is given every 3 weeks (D3, D5)")
    if drug == "pertuzumab":
        return _pertuzumab_decision(days_since)
    if drug == "trastuzumab_deruxtecan":
        return _tdxd_decision(days_since, today, weight_kg, mg_per_kg)
    raise ValueError("the reference's missed-dose rule (D8) covers trastuzumab, pertuzumab and trastuzumab deruxtecan")
