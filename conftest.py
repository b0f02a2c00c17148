"""Project-wide pytest fixtures: named users for each role (example_user); PDFs rendered in the request; `at` and
`today_is`, to pretend it is another moment or day.

Passwords hash with MD5 in tests (tests/settings.py), so a user costs milliseconds."""

from unittest import mock

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection

from her2app.accounts import roles
from tests.web import process_helpers


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, migrated once per test process; kept at once, before any test writes to it, as the
    template of the scratch databases real processes run on (tests/web/process_helpers.py)."""
    with django_db_blocker.unblock():
        process_helpers.keep_as_template(connection)


def at(moment):
    """Pretend it is `moment` for everything that asks django.utils.timezone (`with at(...):`)."""
    return mock.patch("django.utils.timezone.now", return_value=moment)


def today_is(monkeypatch, day) -> None:
    """Pretend today is `day` for everything that asks django.utils.timezone.localdate."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: day)


@pytest.fixture(autouse=True)
def _render_in_the_request(settings):
    """Page tests render background tasks at once (django-tasks' immediate backend).
    Durability tests ask for the database backend and a real worker process."""
    settings.TASKS = {"default": {"BACKEND": settings.TASK_BACKENDS["immediate"]}}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Plan PDFs are stored under the test's own temporary folder, never in the checkout's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


# Named users, as zulip's example_user: one name, one role, one password (`<name>-test-pass`).
EXAMPLE_USERS = {
    "cora": (roles.COORDINATOR, {"first_name": "Cora", "last_name": "Coordinator"}),
    "oliver": (roles.ONCOLOGIST, {"first_name": "Oliver", "last_name": "Oncologist"}),
    "olivia": (roles.ONCOLOGIST, {"first_name": "Olivia", "last_name": "Other"}),
    "phil": (roles.PHARMACIST, {"first_name": "Phil", "last_name": "Pharmacist"}),
    "nina": (roles.NURSE, {"first_name": "Nina", "last_name": "Nurse"}),
    "nadia": (roles.NURSE, {"first_name": "Nadia", "last_name": "Second"}),  # the second nurse's check
    "ada": (roles.ADMIN, {"is_staff": True, "is_superuser": True}),
}


def password_of(name: str) -> str:
    return f"{name}-test-pass"


def named_example_user(name: str) -> User:
    """The named user, created on first use (for fixtures that cannot ask for `example_user`)."""
    existing = User.objects.filter(username=name).first()
    if existing:
        return existing
    role, extra = EXAMPLE_USERS[name]
    roles.ensure_roles()
    user = User.objects.create_user(username=name, password=password_of(name), **extra)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def example_user(db):
    """`example_user("oliver")`: the named user, created on first use in a test."""
    return named_example_user


def _role_fixture(name: str):
    """A fixture giving the named user; the fixture is named after the user's role."""

    @pytest.fixture
    def named_user(example_user) -> User:
        return example_user(name)

    return named_user


coordinator = _role_fixture("cora")
oncologist = _role_fixture("oliver")
pharmacist = _role_fixture("phil")
nurse = _role_fixture("nina")
admin_user = _role_fixture("ada")
