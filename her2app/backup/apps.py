from django.apps import AppConfig


class BackupConfig(AppConfig):
    name = "her2app.backup"
    verbose_name = "Backup and restore"
