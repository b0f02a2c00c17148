from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "her2app.monitoring"
    verbose_name = "Measurements and readiness"

    def ready(self) -> None:
        from her2app.cases.signals import case_data_saved
        from her2app.monitoring import holds

        case_data_saved.connect(holds.after_case_save)
