from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "personfirst.core.organisations"
    label = "organisations"
