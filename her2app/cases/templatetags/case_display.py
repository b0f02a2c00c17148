"""Readable labels for engine codes (regimens, tiers, recommendations, drugs, dose fields), all from the
clinical vocabulary (regimens/vocabulary.py)."""

from django import template

from her2app.cases import dates
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


# Dates in pages (her2app/cases/dates.py), in the local time zone like Django's |date.
register.filter("day_month_year", dates.day_month_year, expects_localtime=True)
register.filter("day_month_year_time", dates.day_month_year_time, expects_localtime=True)
