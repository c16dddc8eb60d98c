from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "personfirst.core.access"
    label = "access"
