from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "personfirst.core.api"
    label = "api"
