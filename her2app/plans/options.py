"""The regimen options a plan can be made from, read from the engine's output: which options can become a plan,
which choices need an override, and the rounding policy a final dose is judged by. The engine runs on a case
through her2app.cases.clinical.
"""


from django.conf import settings

from regimens import vocabulary
from regimens.doses import apply_rounding_policy

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


def rounding_decision(calculated_mg, final_mg):
    """The engine's rounding policy (reference D7) at the site's tolerance."""
    return apply_rounding_policy(float(calculated_mg), float(final_mg), settings.DOSE_ROUNDING_PERCENT)
