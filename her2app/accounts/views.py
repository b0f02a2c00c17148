from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


def home(request: HttpRequest) -> HttpResponse:
    """The login page for anonymous users; each role's start page otherwise."""
    if not request.user.is_authenticated:
        return auth_views.LoginView.as_view(redirect_authenticated_user=False)(request)
    return redirect(start_page_for(request.user))


def start_page_for(user) -> str:
    if user.has_perm("cases.view_case"):
        return "cases:list"
    if user.has_perm("plans.view_approved_plan"):
        return "plans:nurse_worklist"
    return "no_role"
