from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "her2app.cases"
    verbose_name = "Cases"
