from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "her2app.monitoring"
    label = "monitoring"
    verbose_name = "Measurements and readiness"
