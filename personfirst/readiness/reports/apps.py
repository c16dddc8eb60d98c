from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "personfirst.readiness.reports"
    label = "reports"
    verbose_name = "Readiness reports"
