from django.contrib import admin
from django.urls import include, path

from her2app.accounts.views import home

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("her2app.accounts.urls")),
    path("cases/", include("her2app.cases.urls")),
    path("cases/", include("her2app.audit.urls")),
    path("plans/", include("her2app.plans.urls")),
    path("fhir/", include("her2app.interop.urls")),
    path("meetings/", include("her2app.meetings.urls")),
    path("recheck/", include("her2app.recheck.urls")),
    path("monitoring/", include("her2app.monitoring.urls")),
    path("administration/", include("her2app.administration.urls")),
    path("admin/", admin.site.urls),
]
