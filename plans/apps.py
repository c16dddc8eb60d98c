from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "plans"

    def ready(self) -> None:
        from audit import registry
        from readiness.signals import assessment_submitted

        from . import services

        registry.register("plans.Action")
        registry.register("plans.ProgressNote")
        registry.register("plans.Target")
        assessment_submitted.connect(services.on_assessment_submitted, dispatch_uid="plans-draft-on-submit")
