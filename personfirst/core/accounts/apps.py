from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "personfirst.core.accounts"
    label = "accounts"
