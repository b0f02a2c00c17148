"""The web app's one door to the regimen engine: `run_for_case(case)`.

Every page, export and check that needs the engine's reading of a case calls
this, so the case is turned into engine input one way and an input the engine
refuses is one typed error (regimens.InvalidInput), never an exception a
caller forgot to catch.
"""

from dataclasses import dataclass

import regimens
from her2app.cases.engine_input import case_to_engine_input
from her2app.cases.models import Case


@dataclass(frozen=True)
class EngineRun:
    """The engine input built from a case, and either the engine's result or the error it raised."""

    engine_input: dict
    result: dict | None = None
    error: regimens.InvalidInput | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def error_message(self) -> str:
        return self.error.message if self.error else ""

    @property
    def error_field(self) -> str:
        return self.error.field if self.error else ""

    def input_and_result(self) -> tuple[dict, dict]:
        """(engine input, result) for callers that cannot go on without a result; raises the typed error."""
        if self.error:
            raise self.error
        return self.engine_input, self.result


def run_for_case(case: Case) -> EngineRun:
    engine_input = case_to_engine_input(case)
    try:
        return EngineRun(engine_input, result=regimens.recommend(engine_input))
    except regimens.InvalidInput as error:
        return EngineRun(engine_input, error=error)
