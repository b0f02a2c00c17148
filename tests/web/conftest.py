"""Fixtures of the web tests that several test modules ask for by name."""

import pytest
from django.contrib.auth.models import Group, User

from conftest import password_of
from her2app.accounts import roles
from tests.factories import make_case
from tests.web.administration.helpers import TODAY


@pytest.fixture
def fixed_today(monkeypatch):
    """Pages and PDFs re-flow the schedule as of today: fix it, so that dates around START stay upcoming."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)
    return TODAY


@pytest.fixture
def second_nurse(example_user):
    """A nurse other than `nurse`, for the second nurse's independent check of a given dose."""
    example_user("nina")
    user = User.objects.create_user(username="nadia", password=password_of("nadia"), first_name="Nadia",
                                    last_name="Second")
    user.groups.add(Group.objects.get(name=roles.NURSE))
    return user


@pytest.fixture
def case(coordinator):
    """A bare draft case the coordinator started (modules that need a plannable case define their own)."""
    return make_case(coordinator)
