"""Readable labels for engine codes (regimens, tiers, recommendations, drugs, dose fields), all from the
clinical vocabulary (regimens/vocabulary.py)."""

from datetime import date, datetime

from django import template
from django.utils.dates import MONTHS_3

from regimens import RULESET_VERSION, vocabulary

register = template.Library()
register.simple_tag(lambda: RULESET_VERSION, name="ruleset_version")

register.filter("regimen_label", vocabulary.regimen_title)
register.filter("tier_label", vocabulary.tier_label)
register.filter("recommendation_label", vocabulary.recommendation_label)
register.filter("her2_label", vocabulary.her2_status_label)
register.filter("severity_label", vocabulary.severity_label)
register.filter("drug_label", vocabulary.drug_title)
register.filter("phase_label", vocabulary.phase_label)
register.filter("frequency_label", vocabulary.frequency_label)
register.filter("route_label", vocabulary.route_label)
register.filter("field_label", vocabulary.field_label)
register.filter("days_label", vocabulary.days_label)


@register.filter
def agent_labels(agents: list[str] | None) -> str:
    return ", ".join(vocabulary.agent_label(agent) for agent in agents or [])


@register.filter
def yes_no(value: bool | None) -> str:
    return {True: "Yes", False: "No"}.get(value, "Not recorded")


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
