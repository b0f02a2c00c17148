"""Dated measurements as plain values: the series the web app keeps on a case (weight, LVEF, liver tests,
pregnancy status), handed to the after-approval rules (lvef.py, readiness.py) as tuples of these.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

DATE_FORMAT = "%d %b %Y"


@dataclass(frozen=True)
class Measurement:
    """One dated value: weight in kg, LVEF in %, or a liver test in the laboratory's unit (`unit`)."""

    on: date
    value: float
    unit: str = ""

    def describe(self, name: str) -> str:
        """'LVEF 55% on 02 Mar 2026'; the unit is glued to the value only for %."""
        unit = self.unit if self.unit == "%" else f" {self.unit}" if self.unit else ""
        return f"{name} {self.value:g}{unit} on {self.on:{DATE_FORMAT}}"


@dataclass(frozen=True)
class PregnancyRecord:
    """A pregnancy test or recorded status (S1, S10). None means not known."""

    on: date
    pregnant: bool | None
    breastfeeding: bool | None = None


def in_date_order(series: Iterable[Measurement]) -> list[Measurement]:
    return sorted(series, key=lambda measurement: measurement.on)


def latest(series: Iterable, on_or_before: date | None = None):
    """The latest entry (Measurement or PregnancyRecord) dated on or before the given day; None if there is none.
    Two entries on one day: the one listed last wins (the web lists them in the order they were recorded)."""
    chosen = None
    for entry in series:
        if on_or_before is not None and entry.on > on_or_before:
            continue
        if chosen is None or entry.on >= chosen.on:
            chosen = entry
    return chosen


def format_date(day: date) -> str:
    return f"{day:{DATE_FORMAT}}"
