"""The web app's one door to the regimen engine (her2app.cases.clinical.run_for_case)."""

from pathlib import Path

import pytest

import regimens
from her2app.cases.engine_input import case_to_engine_input
from her2app.cases.clinical import run_for_case
from tests.factories import make_case, plannable_case

HER2APP = Path(__file__).resolve().parents[2] / "her2app"


def test_a_case_the_engine_reads_gives_its_input_and_result(oncologist):
    case = plannable_case(oncologist)
    run = run_for_case(case)
    assert run.ok and run.error_message == ""
    assert run.engine_input == case_to_engine_input(case)
    assert run.result == regimens.recommend(run.engine_input)
    assert run.input_and_result() == (run.engine_input, run.result)


def test_a_case_the_engine_refuses_gives_the_typed_error_not_an_exception(coordinator):
    case = make_case(coordinator, clinical={"pregnant": True})
    case.patient.sex = "male"
    case.patient.save()
    run = run_for_case(case)
    assert not run.ok and run.result is None
    assert isinstance(run.error, regimens.InvalidInput)
    assert run.error_field == "patient.pregnant" and "pregnan" in run.error_message.lower()
    with pytest.raises(regimens.InvalidInput):
        run.input_and_result()


def test_only_the_gateway_runs_the_engine_on_a_case():
    """The demo loader builds cases from engine inputs (fixtures/cases/), so it is the one other caller."""
    callers = sorted(
        str(path.relative_to(HER2APP)) for path in HER2APP.rglob("*.py")
        if ("regimens.recommend(" in path.read_text() or "case_to_engine_input(" in path.read_text())
        and path.relative_to(HER2APP).parts[0] != "demo"
    )
    assert callers == ["cases/clinical.py", "cases/engine_input.py"], callers
