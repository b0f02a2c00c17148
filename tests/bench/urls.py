"""The project's URLs plus the benchmark floor views (benchmark settings only).

- bench/floor/: a bare template view, the fastest page this stack can serve;
- bench/floor-signed-in/: the same page behind the login and permission check
  every real page has, to show how much of a page's cost is that check.
"""

from django.urls import path
from django.views.generic import TemplateView

from her2app.accounts.access import role_required
from her2app.urls import urlpatterns as project_urlpatterns

floor = TemplateView.as_view(template_name="bench/floor.html")

urlpatterns = [
    path("bench/floor/", floor, name="bench_floor"),
    path("bench/floor-signed-in/", role_required("cases.view_case")(floor), name="bench_floor_signed_in"),
    *project_urlpatterns,
]
