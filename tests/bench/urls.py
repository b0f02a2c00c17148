"""The project's URLs plus the benchmark floor view (benchmark settings only)."""

from django.urls import path
from django.views.generic import TemplateView

from her2app.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("bench/floor/", TemplateView.as_view(template_name="bench/floor.html"), name="bench_floor"),
    *project_urlpatterns,
]
