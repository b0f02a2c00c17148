"""Start dates the day unit may not be open on: weekends, and the hospital's closure days (an institutional
setting, PLAN_CLOSURE_DAYS). A warning only: the oncologist may still start then."""

from datetime import date

from django.conf import settings


def closure_days() -> set[date]:
    return {date.fromisoformat(day) for day in settings.PLAN_CLOSURE_DAYS}


def start_day_warning(day: date | None) -> str:
    """What is unusual about starting on `day`, or "" when nothing is."""
    if day is None:
        return ""
    if day in closure_days():
        return f"The start date, {day:%A} {day.day} {day:%B %Y}, is a closure day of this hospital: check it."
    if day.weekday() >= 5:
        return f"The start date, {day:%A} {day.day} {day:%B %Y}, falls on a weekend: check that the unit is open."
    return ""
