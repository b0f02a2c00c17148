"""Readable shapes of a plan's calendar (a flat list of administration events
from regimens.schedule.build_schedule): per cycle, per drug, and per day.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from her2app.plans.models import _days_label

ORAL = "PO"


@dataclass(frozen=True)
class CalendarItem:
    """One drug in one cycle: all its administration dates in that cycle."""

    cycle: int
    drug: str
    phase: str
    dose_mg: float
    route: str
    frequency: str
    dates: tuple[date, ...]
    days: tuple[int, ...]

    @property
    def first_date(self) -> date:
        return self.dates[0]

    @property
    def last_date(self) -> date:
        return self.dates[-1]

    @property
    def days_label(self) -> str:
        return _days_label(list(self.days))

    @property
    def is_oral(self) -> bool:
        return self.route == ORAL


@dataclass
class CycleRow:
    cycle: int
    start: date
    items: list[CalendarItem] = field(default_factory=list)


def _key(event: dict) -> tuple:
    return (event["cycle"], event["drug"], event.get("phase", ""), float(event["dose_mg"]),
            event.get("route", ""), event.get("frequency", ""))


def calendar_items(events: list[dict]) -> list[CalendarItem]:
    """Group events by cycle and drug (a twice-daily oral drug becomes one item per cycle)."""
    grouped: dict[tuple, list[dict]] = defaultdict(list)
    for event in events:
        grouped[_key(event)].append(event)
    items = []
    for (cycle, drug, phase, dose_mg, route, frequency), group in grouped.items():
        group.sort(key=lambda event: (event["date"], event["day"]))
        items.append(
            CalendarItem(
                cycle=cycle,
                drug=drug,
                phase=phase,
                dose_mg=dose_mg,
                route=route,
                frequency=frequency,
                dates=tuple(dict.fromkeys(event["date"] for event in group)),
                days=tuple(dict.fromkeys(event["day"] for event in group)),
            )
        )
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
    """Rows of the printed administration record: each infusion on its date;
    an oral drug once per cycle (dispensed for the days it covers)."""
    rows = []
    for item in calendar_items(events):
        if item.is_oral:
            rows.append(item)
            continue
        rows.extend(
            CalendarItem(item.cycle, item.drug, item.phase, item.dose_mg, item.route, item.frequency, (day_date,), (day,))
            for day_date, day in zip(item.dates, item.days)
        )
    rows.sort(key=lambda row: (row.first_date, row.is_oral, row.drug))
    return rows


def upcoming_infusions(events: list[dict], today: date, until: date) -> list[CalendarItem]:
    """Infusions (non-oral) dated today..until, earliest first."""
    return [
        row
        for row in administration_rows(events)
        if not row.is_oral and today <= row.first_date <= until
    ]
