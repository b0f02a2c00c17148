"""The idle timeout restarts on activity but the session is written at most once a minute.

RefreshIdleSession replaces a session write on every request: these tests pin
that requests inside the refresh window write nothing, that activity after it
moves the stored expiry, and that a session never outlives the idle timeout.
"""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import at
from her2app.accounts.middleware import RefreshIdleSession

IDLE = timedelta(minutes=settings.SESSION_IDLE_MINUTES)
WINDOW = timedelta(seconds=settings.SESSION_REFRESH_SECONDS)


@pytest.fixture
def signed_in(client: Client, coordinator) -> Client:
    client.force_login(coordinator)
    return client


def stored_expiry(client: Client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def session_writes(client: Client, url: str = "/cases/") -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in captured.captured_queries
            if "django_session" in query["sql"] and not query["sql"].lstrip().upper().startswith("SELECT")]


def test_requests_inside_the_window_do_not_write_the_session(signed_in):
    expiry = stored_expiry(signed_in)  # signing in started the clock
    assert session_writes(signed_in) == []
    assert session_writes(signed_in) == []
    assert session_writes(signed_in) == []
    assert stored_expiry(signed_in) == expiry


def test_activity_after_the_window_restarts_the_idle_clock(signed_in):
    moment = timezone.now() + WINDOW + timedelta(seconds=5)
    with at(moment):
        assert session_writes(signed_in) != []
    assert stored_expiry(signed_in) - moment == IDLE


def test_a_request_inside_the_window_does_not_extend_the_session(signed_in):
    start = timezone.now()
    with at(start):
        signed_in.get("/cases/")
    with at(start + WINDOW / 2):  # inside the window: the clock is not restarted
        assert signed_in.get("/cases/").status_code == 200
    with at(start + IDLE + timedelta(seconds=1)):
        response = signed_in.get("/cases/")
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_steady_activity_keeps_the_session_alive_past_the_idle_timeout(signed_in):
    start = timezone.now()
    for minutes in (0, 10, 20, 30, 40, 50):
        with at(start + timedelta(minutes=minutes)):
            assert signed_in.get("/cases/").status_code == 200, f"signed out after {minutes} active minutes"


def test_a_request_without_a_session_creates_none(db):
    before = Session.objects.count()
    response = Client().get(reverse("login"))
    assert response.status_code == 200
    assert Session.objects.count() == before


def test_an_expired_session_cookie_is_not_revived(signed_in):
    key = signed_in.session.session_key
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = signed_in.get("/cases/")
    assert response.status_code == 302
    assert not Session.objects.filter(session_key=key, expire_date__gt=timezone.now()).exists()


def test_a_session_engine_without_a_stored_expiry_is_renewed_on_every_request(signed_in):
    session = db.SessionStore(signed_in.session.session_key)
    RefreshIdleSession.refresh_if_due(session)
    assert session.modified
