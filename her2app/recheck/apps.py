from django.apps import AppConfig


class RecheckConfig(AppConfig):
    name = "her2app.recheck"
    label = "recheck"
    verbose_name = "Re-check saved results under the current ruleset"
