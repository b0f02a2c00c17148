from django.apps import AppConfig


class AdministrationConfig(AppConfig):
    name = "her2app.administration"
    verbose_name = "Administration record"

    def ready(self) -> None:
        from her2app.administration.schedule import plans_with_records, schedule_as_given
        from her2app.plans import as_given

        as_given.register(schedule_as_given, plans_with_records)
