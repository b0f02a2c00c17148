from datetime import date

from django.urls import path, register_converter

from her2app.monitoring import views


class IsoDateConverter:
    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> date:
        return date.fromisoformat(value)  # ValueError: no match, a 404

    def to_url(self, value: date) -> str:
        return value.isoformat()


register_converter(IsoDateConverter, "isodate")

app_name = "monitoring"
urlpatterns = [
    path("cases/<int:case_pk>/measurements/", views.series_page, name="series"),
    path("plans/<int:plan_pk>/readiness/", views.plan_days, name="plan_days"),
    path("plans/<int:plan_pk>/readiness/<isodate:day>/", views.day_page, name="day"),
]
