from django.apps import AppConfig


class UiConfig(AppConfig):
    name = "personfirst.core.ui"
    label = "ui"
