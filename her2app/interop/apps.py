from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "her2app.interop"
    label = "interop"
    verbose_name = "FHIR export"
