from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "her2app.audit"
    verbose_name = "Audit history"
