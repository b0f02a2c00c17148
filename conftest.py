"""Project-wide pytest fixtures: named users for each role; PDFs rendered in the request."""

import pytest
from django.contrib.auth.models import Group, User

from her2app.accounts import roles


@pytest.fixture(autouse=True)
def _render_in_the_request(settings):
    """Page tests render background tasks at once (django-tasks' immediate backend).
    Durability tests ask for the database backend and a real worker process."""
    settings.TASKS = {"default": {"BACKEND": settings.TASK_BACKENDS["immediate"]}}


def _user_in_role(username: str, role: str, **extra) -> User:
    roles.ensure_roles()
    user = User.objects.create_user(username=username, password=f"{username}-test-pass", **extra)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def coordinator(db) -> User:
    return _user_in_role("cora", roles.COORDINATOR, first_name="Cora", last_name="Coordinator")


@pytest.fixture
def oncologist(db) -> User:
    return _user_in_role("oliver", roles.ONCOLOGIST, first_name="Oliver", last_name="Oncologist")


@pytest.fixture
def pharmacist(db) -> User:
    return _user_in_role("phil", roles.PHARMACIST, first_name="Phil", last_name="Pharmacist")


@pytest.fixture
def nurse(db) -> User:
    return _user_in_role("nina", roles.NURSE, first_name="Nina", last_name="Nurse")


@pytest.fixture
def admin_user(db) -> User:
    return _user_in_role("ada", roles.ADMIN, is_staff=True, is_superuser=True)
