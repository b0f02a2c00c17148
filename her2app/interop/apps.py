from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "her2app.interop"
    verbose_name = "FHIR export"

    def ready(self) -> None:
        from her2app.cases.signals import case_data_saved
        from her2app.interop import actions

        case_data_saved.connect(actions.confirm_step)
