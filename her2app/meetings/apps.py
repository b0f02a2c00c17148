from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "her2app.meetings"
    verbose_name = "Tumour-board meetings"

    def ready(self) -> None:
        from her2app.meetings import documents
        from her2app.rendering import jobs

        jobs.register(documents.KIND, documents.RENDERER)
