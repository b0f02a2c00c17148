from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "her2app.cases"
    label = "cases"
    verbose_name = "Cases"
