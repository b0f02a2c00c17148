"""Readable labels for engine codes (regimens, tiers, recommendations)."""

from datetime import date, datetime

from django import template
from django.utils.dates import MONTHS_3

from her2app.cases.engine import HER2_STATUS_LABELS, RECOMMENDATION_LABELS, REGIMEN_LABELS, TIER_LABELS
from her2app.cases.forms import AGENT_LABELS

register = template.Library()


def _label(labels: dict[str, str], code: str | None) -> str:
    if not code:
        return ""
    return labels.get(code, code.replace("_", " ").replace("-", " ").capitalize())


@register.filter
def regimen_label(code: str | None) -> str:
    return _label(REGIMEN_LABELS, code)


@register.filter
def tier_label(code: str | None) -> str:
    return _label(TIER_LABELS, code)


@register.filter
def recommendation_label(code: str | None) -> str:
    return _label(RECOMMENDATION_LABELS, code)


@register.filter
def her2_label(code: str | None) -> str:
    return _label(HER2_STATUS_LABELS, code)


@register.filter
def agent_labels(agents: list[str] | None) -> str:
    return ", ".join(_label(AGENT_LABELS, agent) for agent in agents or [])


@register.filter
def yes_no(value: bool | None) -> str:
    return {True: "Yes", False: "No"}.get(value, "Not recorded")


@register.filter
def day_list(days: list[int] | None) -> str:
    """Treatment days as a reader says them: "1-21" for a run, "1, 8, 15" otherwise."""
    days = list(days or [])
    if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
        return f"{days[0]}-{days[-1]}"
    return ", ".join(str(day) for day in days)


# The case list shows two dates a row; Django's general |date formatter costs
# ~45 us a call, most of a list page's rendering. These give the same text.
@register.filter(expects_localtime=True)
def day_month_year(value: date | None) -> str:
    """The same text as |date:"j M Y": "5 Mar 2026"."""
    if not isinstance(value, date):
        return ""
    return f"{value.day} {MONTHS_3[value.month].title()} {value.year}"


@register.filter(expects_localtime=True)
def day_month_year_time(value: datetime | None) -> str:
    """The same text as |date:"j M Y, H:i": "5 Mar 2026, 09:07"."""
    if not isinstance(value, datetime):
        return day_month_year(value)
    return f"{day_month_year(value)}, {value.hour:02d}:{value.minute:02d}"
