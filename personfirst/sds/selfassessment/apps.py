from django.apps import AppConfig


class SelfAssessmentConfig(AppConfig):
    name = "personfirst.sds.selfassessment"
    label = "selfassessment"
    verbose_name = "Self-assessments"

    def ready(self) -> None:
        from personfirst.core.audit import registry
        from personfirst.core.ui import extensions

        from .models import AnswerChange

        registry.register("selfassessment.SelfAssessment")
        registry.register("selfassessment.AnswerChange", withhold=list(AnswerChange.PERSONAL_FIELDS))
        extensions.add_person_tab(
            extensions.PersonTab(
                "self-assessment", "Self-assessment", "Self-assessment", "selfassessment:list", order=50
            )
        )
