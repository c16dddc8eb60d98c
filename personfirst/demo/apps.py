from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "personfirst.demo"
    label = "demo"
