from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "her2app.meetings"
    label = "meetings"
    verbose_name = "Tumour-board meetings"
