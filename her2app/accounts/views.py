import math
from datetime import timedelta

from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from her2app.accounts.sessions import active_sessions_of, end_all_sessions_of


def home(request: HttpRequest) -> HttpResponse:
    """The login page for anonymous users; each role's start page otherwise."""
    if not request.user.is_authenticated:
        return auth_views.LoginView.as_view(redirect_authenticated_user=False)(request)
    return redirect(start_page_for(request.user))


def start_page_for(user) -> str:
    if user.has_perm("cases.view_case"):
        return "cases:list"
    if user.has_perm("plans.verify_treatmentplan"):
        return "plans:verification_worklist"
    if user.has_perm("plans.view_approved_plan"):
        return "plans:nurse_worklist"
    return "no_role"


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes lockout page: why sign-in is paused and when to try again (HTTP 429)."""
    cool_off = get_cool_off(request) or timedelta(0)
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "address_limit": settings.AXES_ADDRESS_FAILURE_LIMIT,
        "cooloff_minutes": max(1, math.ceil(cool_off.total_seconds() / 60)),
        "retry_after": timezone.localtime() + cool_off,
    }
    return render(request, "registration/lockout.html", context, status=429)


@login_required
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    """GET: confirm; POST: end every session of this user, this one included."""
    if request.method == "POST":
        ended = end_all_sessions_of(request.user)
        logout(request)
        messages.success(request, f"Signed out everywhere ({ended} session{'s' if ended != 1 else ''} ended).")
        return redirect("login")
    sessions = active_sessions_of(request.user)
    return render(request, "registration/sign_out_everywhere.html", {"session_count": len(sessions)})
