from django.apps import AppConfig


class AdministrationConfig(AppConfig):
    name = "her2app.administration"
    verbose_name = "Administration record"
