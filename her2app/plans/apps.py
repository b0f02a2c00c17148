from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "her2app.plans"
    verbose_name = "Treatment plans"

    def ready(self) -> None:
        from her2app.plans import documents
        from her2app.rendering import jobs

        jobs.register(documents.KIND, documents.RENDERER)
