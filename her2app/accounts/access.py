"""Access checks used by every view: login first, then a permission."""

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest
from django.shortcuts import resolve_url
from django_htmx.http import HttpResponseClientRedirect


def role_required(*perms: str) -> Callable:
    """Require a logged-in user holding all `perms`; 403 otherwise."""

    def decorator(view: Callable) -> Callable:
        return signed_in_page(login_required(permission_required(perms, raise_exception=True)(view)))

    return decorator


def signed_in_page(view: Callable) -> Callable:
    """An htmx request from an expired session gets a full-page sign-in (HX-Redirect), never the sign-in form
    swapped into the page; after signing in the person comes back to the page they were on."""

    @wraps(view)
    def checked(request: HttpRequest, *args, **kwargs):
        if request.user.is_authenticated or not request.htmx:
            return view(request, *args, **kwargs)
        login = redirect_to_login(_page_path(request), resolve_url(settings.LOGIN_URL))
        return HttpResponseClientRedirect(login.url)

    return checked


def _page_path(request: HttpRequest) -> str:
    """The page the browser shows (HX-Current-URL), as a local path; else the requested path."""
    current = urlsplit(request.htmx.current_url or "")
    if current.netloc and current.netloc != request.get_host():
        return request.get_full_path()
    path = current.path or request.path
    return f"{path}?{current.query}" if current.query else path
