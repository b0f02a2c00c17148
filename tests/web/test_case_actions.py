"""A case's status and version change only through her2app.cases.actions (the status map)."""

import re
from pathlib import Path

import pytest

from her2app.cases import actions
from her2app.cases.models import Case, EditConflict
from her2app.plans import actions as plan_actions
from tests.factories import plannable_case
from tests.web.plan_helpers import approved_plan

HER2APP = Path(__file__).resolve().parents[2] / "her2app"
WRITES = re.compile(r"\.status = |\.version \+= 1|version=F\(\"version\"\)")


def test_status_map_names_where_each_event_moves_a_case():
    assert actions.STATUS_AFTER == {
        actions.SENT_FOR_REVIEW: Case.Status.READY,
        actions.PLAN_APPROVED: Case.Status.PLANNED,
        actions.NO_APPROVED_PLAN_LEFT: Case.Status.READY,
    }


def test_approving_plans_the_case_and_cancelling_the_only_plan_makes_it_ready_again(oncologist):
    case = plannable_case(oncologist)
    before = case.version
    plan = approved_plan(case, oncologist)
    case.refresh_from_db()
    assert (case.status, case.version) == (Case.Status.PLANNED, before + 1)
    plan_actions.cancel_plan(plan, oncologist, "patient declined")
    case.refresh_from_db()
    assert (case.status, case.version) == (Case.Status.READY, before + 2)


def test_a_stale_version_is_refused(coordinator):
    case = plannable_case(coordinator)
    actions.claim_version(case, case.version, coordinator)
    with pytest.raises(EditConflict):
        actions.claim_version(case, case.version - 1, coordinator)


def test_no_other_module_writes_a_case_status_or_version():
    writers = sorted(
        str(path.relative_to(HER2APP)) for path in HER2APP.rglob("*.py")
        if "migrations" not in path.parts and WRITES.search(path.read_text())
    )
    assert writers == ["cases/actions.py"], writers
