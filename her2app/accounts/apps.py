from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "her2app.accounts"
    verbose_name = "Accounts and roles"
