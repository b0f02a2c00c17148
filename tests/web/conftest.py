"""Fixtures of the web tests that several test modules ask for by name."""

import pytest

from conftest import today_is
from tests.factories import make_case
from tests.web.administration.helpers import TODAY


@pytest.fixture
def fixed_today(monkeypatch):
    """Pages and PDFs re-flow the schedule as of today: fix it, so that dates around START stay upcoming."""
    today_is(monkeypatch, TODAY)
    return TODAY


@pytest.fixture
def second_nurse(example_user, nurse):
    """A nurse other than `nurse`, for the second nurse's independent check of a given dose."""
    return example_user("nadia")


@pytest.fixture
def case(coordinator):
    """A bare draft case the coordinator started (modules that need a plannable case define their own)."""
    return make_case(coordinator)
