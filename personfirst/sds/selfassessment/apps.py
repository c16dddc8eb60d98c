from django.apps import AppConfig


class SelfAssessmentConfig(AppConfig):
    name = "personfirst.sds.selfassessment"
    label = "selfassessment"
    verbose_name = "Self-assessments"

    def ready(self) -> None:
        from personfirst.core.api.api import api
        from personfirst.core.audit import registry
        from personfirst.core.ui import extensions

        from . import api as endpoints
        from . import need  # noqa: F401 (registers the need item type)
        from .models import AnswerChange

        api.add_router("/", endpoints.router)

        registry.register("selfassessment.SelfAssessment")
        registry.register("selfassessment.AnswerChange", withhold=list(AnswerChange.PERSONAL_FIELDS))
        extensions.add_person_tab(
            extensions.PersonTab(
                "self-assessment", "Self-assessment", "Self-assessment", "selfassessment:list", order=50
            )
        )
