"""The administration-record tests share one plan: verified, with its measurements recorded before START."""

import pytest

from tests.factories import plannable_case as make_case
from tests.web.administration.helpers import add_measurements
from tests.web.plan_helpers import approved_plan, verified


@pytest.fixture
def plan(oncologist):
    plan = verified(approved_plan(make_case(oncologist), oncologist))
    add_measurements(plan, oncologist)
    return plan
