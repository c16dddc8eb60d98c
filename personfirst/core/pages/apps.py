from django.apps import AppConfig


class PagesConfig(AppConfig):
    """Pages that belong to no one concern: home, dashboard, static pages, errors."""

    name = "personfirst.core.pages"
    label = "pages"
