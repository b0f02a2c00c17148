from django.apps import AppConfig


class RecheckConfig(AppConfig):
    name = "her2app.recheck"
    verbose_name = "Re-check saved results under the current ruleset"
