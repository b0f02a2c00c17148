"""Session and cache middleware for shared clinical workstations.

- NoStoreForSignedInUsers: pages with patient data are never kept in the
  browser's cache (the back button after signing out must not bring a
  patient's page back);
- RefreshIdleSession: the idle timeout without a session write per request;
- SessionEndedNotice: someone whose session ran out is told why at sign-in.
"""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
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


class RefreshIdleSession:
    """Restart a session's idle clock without writing the session on every request.

    The stored expiry (now + the idle timeout, SESSION_COOKIE_AGE) is renewed
    only when it was last renewed more than SESSION_REFRESH_SECONDS ago,
    instead of a database write per request (SESSION_SAVE_EVERY_REQUEST).
    So a session never outlives the idle timeout; it may end up to
    SESSION_REFRESH_SECONDS sooner. Runs before the view, so a view that signs
    out still flushes the session. With a session engine that does not report
    its stored expiry, every request renews it, as SESSION_SAVE_EVERY_REQUEST did.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        self.refresh_if_due(request.session)
        return self.get_response(request)

    @staticmethod
    def refresh_if_due(session: SessionBase) -> None:
        if session.session_key is None:  # no session cookie: nothing to renew, and none is created
            return
        if not session.keys():  # loads it: an unknown or expired key comes back empty, with no key
            return
        stored_expiry = getattr(session, "stored_expiry", None)
        if stored_expiry is None:
            session.modified = True
            return
        renewed_ago = session.get_expiry_age() - (stored_expiry - timezone.now()).total_seconds()
        if renewed_ago > settings.SESSION_REFRESH_SECONDS:
            session.modified = True  # SessionMiddleware saves it with expiry now + the idle timeout


class SessionEndedNotice:
    """Say why someone is back at the sign-in page when their session ran out.

    A session cookie whose session no longer exists means it expired after
    SESSION_IDLE_MINUTES without activity, or was ended by "sign out
    everywhere". The notice goes in a message; Django then drops the dead
    cookie, so it is shown once.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._session_ended(request):
            messages.info(
                request,
                f"Your session ended (after {settings.SESSION_IDLE_MINUTES} minutes without activity, "
                "or a sign-out on another computer). Sign in again to continue.",
            )
        return self.get_response(request)

    @staticmethod
    def _session_ended(request: HttpRequest) -> bool:
        if not request.COOKIES.get(settings.SESSION_COOKIE_NAME) or request.user.is_authenticated:
            return False
        request.session.keys()  # loads the session (cached): a key that matches no session is cleared
        return request.session.session_key is None
