from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "plans"

    def ready(self) -> None:
        from personfirst.core.audit import registry
        from personfirst.readiness.assessments.loading import register_companion
        from personfirst.readiness.assessments.signals import assessment_submitted

        from . import library_loading, services

        registry.register("plans.Action")
        registry.register("plans.ProgressNote")
        registry.register("plans.Target")
        assessment_submitted.connect(services.on_assessment_submitted, dispatch_uid="plans-draft-on-submit")
        # Load KEY.actions.yaml with every instrument file KEY.yaml (readiness never imports plans).
        register_companion(library_loading.ACTION_LIBRARY)
