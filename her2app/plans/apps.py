from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "her2app.plans"
    label = "plans"
    verbose_name = "Treatment plans"
