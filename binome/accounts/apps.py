from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "binome.accounts"
    label = "accounts"
