from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "her2app.demo"
    verbose_name = "Demo data (local trials only)"
