"""The plans app's reading of the regimen engine's output (which options can
become a plan, and which choices need an override). The engine runs on a case
through her2app.clinical.
"""

from datetime import date, timedelta

from django.conf import settings

from regimens import vocabulary
from regimens.doses import apply_rounding_policy
from regimens.schedule import build_schedule

CONTINUATION = "Continue until disease progression or unacceptable toxicity."


def plannable_options(output: dict) -> list[dict]:
    """Options that can become a plan: those with at least one dose."""
    return [option for option in output.get("options", []) if option.get("doses")]


def find_option(output: dict, regimen: str) -> dict | None:
    for option in output.get("options", []):
        if option.get("regimen") == regimen:
            return option
    return None


def override_reasons(output: dict, regimen: str) -> list[str]:
    """Why choosing `regimen` needs a written override reason (empty: it does not), per the reference's
    "Override reasons" (vocabulary.override_reasons)."""
    option = find_option(output, regimen)
    return [] if option is None else vocabulary.override_reasons(option, output.get("options", []))


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
        last_date = event["date"] + timedelta(days=days[-1] - event["day"])
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


def rounding_decision(calculated_mg, final_mg):
    """The engine's rounding policy (reference D7) at the site's tolerance."""
    return apply_rounding_policy(float(calculated_mg), float(final_mg), settings.DOSE_ROUNDING_PERCENT)
