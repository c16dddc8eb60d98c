from django.apps import AppConfig


class EligibilityConfig(AppConfig):
    name = "personfirst.sds.eligibility"
    label = "eligibility"
    verbose_name = "Eligibility"

    def ready(self) -> None:
        from personfirst.core.audit import registry
        from personfirst.core.ui import extensions

        from .models import EligibilityDecision

        registry.register("eligibility.EligibilityDecision", withhold=list(EligibilityDecision.PERSONAL_FIELDS))
        extensions.add_person_tab(
            extensions.PersonTab("eligibility", "Eligibility", "Eligibility", "eligibility:decisions", order=40)
        )
