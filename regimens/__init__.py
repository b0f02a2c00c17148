"""The regimen engine: pure Python, no Django. See ../shared/design.md.

Public API: recommend(data) -> dict, input_schema() -> dict, InvalidInput,
RULESET_VERSION; modules doses and schedule for the web app, and after approval lvef,
readiness, reflow and reductions (API in NOTES.md).
"""

from regimens.catalogue import RULESET_VERSION
from regimens.engine import recommend
from regimens.inputs import InvalidInput, input_schema

__all__ = ["RULESET_VERSION", "InvalidInput", "input_schema", "recommend"]
