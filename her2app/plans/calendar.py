"""A plan's calendar, in one module: built from the engine's schedule
(regimens.schedule.build_schedule) when a draft changes, read back from the
stored JSON, and shaped per cycle and per day for the pages and the PDF.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings

from regimens.schedule import build_schedule, cycle_date, day1_of
from regimens.vocabulary import days_label

ORAL = "PO"


@dataclass(frozen=True)
class CalendarItem:
    """One drug and phase in one cycle: its administration dates and the cycle days covered."""

    cycle: int
    drug: str
    phase: str
    dose_mg: float | None  # None: the oncologist has not set this dose yet (reference S4)
    route: str
    frequency: str
    dates: tuple[date, ...]
    days: tuple[int, ...]
    last_date: date

    @property
    def first_date(self) -> date:
        return self.dates[0]

    @property
    def days_label(self) -> str:
        return days_label(list(self.days))

    @property
    def is_oral(self) -> bool:
        return self.route == ORAL

    @property
    def spans_days(self) -> bool:
        """One dispensing that covers several days (an oral drug's cycle), not several infusions."""
        return len(self.dates) == 1 and self.last_date != self.first_date


@dataclass
class CycleRow:
    cycle: int
    start: date
    items: list[CalendarItem] = field(default_factory=list)


def _key(event: dict) -> tuple:
    dose_mg = None if event["dose_mg"] is None else float(event["dose_mg"])
    return (event["cycle"], event["drug"], event.get("phase", ""), dose_mg, event.get("route", ""),
            event.get("frequency", ""))


def _item(key: tuple, events: list[dict]) -> CalendarItem:
    cycle, drug, phase, dose_mg, route, frequency = key
    events = sorted(events, key=lambda event: event["date"])
    days = sorted({day for event in events for day in event.get("days", [event["day"]])})
    return CalendarItem(
        cycle=cycle, drug=drug, phase=phase, dose_mg=dose_mg, route=route, frequency=frequency,
        dates=tuple(event["date"] for event in events), days=tuple(days),
        last_date=max(event.get("last_date", event["date"]) for event in events),
    )


def calendar_items(events: list[dict]) -> list[CalendarItem]:
    """Events grouped by cycle, drug and phase, in date order (infusions before oral drugs)."""
    grouped: dict[tuple, list[dict]] = defaultdict(list)
    for event in events:
        grouped[_key(event)].append(event)
    items = [_item(key, group) for key, group in grouped.items()]
    items.sort(key=lambda item: (item.cycle, item.first_date, item.is_oral, item.drug))
    return items


def cycle_rows(events: list[dict]) -> list[CycleRow]:
    rows: dict[int, CycleRow] = {}
    for item in calendar_items(events):
        row = rows.setdefault(item.cycle, CycleRow(cycle=item.cycle, start=item.first_date))
        row.start = min(row.start, item.first_date)
        row.items.append(item)
    return [rows[cycle] for cycle in sorted(rows)]


def administration_rows(events: list[dict]) -> list[CalendarItem]:
    """Rows of the administration record: one per event (an oral drug once per
    cycle, for the days its supply covers), in date order."""
    rows = [_item(_key(event), [event]) for event in events]
    rows.sort(key=lambda row: (row.first_date, row.is_oral, row.drug))
    return rows


def upcoming_infusions(events: list[dict], today: date, until: date) -> list[CalendarItem]:
    """Infusions (non-oral) dated today..until, earliest first."""
    return [row for row in administration_rows(events) if not row.is_oral and today <= row.first_date <= until]


def schedule_for(option: dict, start: date, cycles: int | None = None) -> list[dict]:
    """Administration events of the first cycles, JSON-ready (ISO dates).

    build_schedule gives an oral continuous drug one event per cycle (day 1);
    each event here also carries the cycle days it covers and its last date.
    """
    cycles = cycles or settings.PLAN_CALENDAR_CYCLES
    covered = {(dose["drug"], dose["phase"]): list(dose.get("days") or [1]) for dose in option.get("doses", [])}
    events = []
    for event in build_schedule(option, start, cycles):
        days = [event["day"]]
        if event["phase"] == "continuous":
            days = covered.get((event["drug"], event["phase"]), days)
        last_date = cycle_date(day1_of(event["date"], event["day"]), days[-1])
        events.append(
            {
                **event,
                "date": event["date"].isoformat(),
                "last_date": last_date.isoformat(),
                "days": days,
                "dose_mg": event["dose_mg"],  # build_schedule gives a float, or None for a dose not yet set
            }
        )
    return events


CALENDAR_EVENT_KEYS = ("date", "cycle", "drug", "dose_mg")


def readable_event(event) -> dict | None:
    if not isinstance(event, dict) or any(event.get(key) in (None, "") for key in CALENDAR_EVENT_KEYS):
        return None
    if "days" not in event and "day" not in event:
        return None
    try:
        return {
            **event,
            "date": date.fromisoformat(event["date"]),
            "last_date": date.fromisoformat(event.get("last_date") or event["date"]),
            "dose_mg": float(event["dose_mg"]),
        }
    except (TypeError, ValueError):
        return None
