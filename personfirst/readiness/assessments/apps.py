from django.apps import AppConfig


class ReadinessConfig(AppConfig):
    name = "readiness"

    def ready(self) -> None:
        from personfirst.core.audit import registry

        registry.register("readiness.Assessment")
        registry.register("readiness.Answer")
        registry.register("readiness.Respondent")
