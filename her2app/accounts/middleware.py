"""Session and cache middleware for shared clinical workstations.

- NoStoreForSignedInUsers: pages with patient data are never kept in the
  browser's cache (the back button after signing out must not bring a
  patient's page back);
- RefreshIdleSession: the idle timeout without a session write per request.
"""

from collections.abc import Callable

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers


class NoStoreForSignedInUsers:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response


REFRESHED_AT_KEY = "_idle_clock_refreshed_at"


class RefreshIdleSession:
    """Restart a session's idle clock without writing it on every request.

    The session's expiry (SESSION_COOKIE_AGE, the idle timeout) is restarted
    only when more than SESSION_REFRESH_SECONDS have passed since the last
    restart, instead of a database write per request (SESSION_SAVE_EVERY_REQUEST).
    The stored expiry is therefore at most that many seconds early: a session
    never outlives the idle timeout; it may end up to SESSION_REFRESH_SECONDS sooner.
    Runs before the view, so a view that signs out flushes a refreshed session.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        self.refresh_if_due(request.session)
        return self.get_response(request)

    @staticmethod
    def refresh_if_due(session: SessionBase) -> None:
        if session.session_key is None:  # no session cookie: nothing to refresh, and none is created
            return
        refreshed_at = session.get(REFRESHED_AT_KEY)  # loads it: an unknown or expired key becomes None
        if session.session_key is None:
            return
        now = int(timezone.now().timestamp())  # the clock the session backend dates expiry by
        if not isinstance(refreshed_at, int) or not 0 <= now - refreshed_at < settings.SESSION_REFRESH_SECONDS:
            session[REFRESHED_AT_KEY] = now  # modified: SessionMiddleware saves it with a new expiry
