from django.apps import AppConfig


class AdministrationConfig(AppConfig):
    name = "her2app.administration"
    label = "administration"
    verbose_name = "Administration record"
