from django.apps import AppConfig


class RenderingConfig(AppConfig):
    name = "her2app.rendering"
    verbose_name = "PDF rendering"
