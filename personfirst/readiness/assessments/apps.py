from django.apps import AppConfig


class ReadinessConfig(AppConfig):
    name = "personfirst.readiness.assessments"
    label = "readiness"

    def ready(self) -> None:
        from personfirst.core.api.api import api
        from personfirst.core.audit import registry
        from personfirst.core.ui import extensions

        from . import api as endpoints
        from . import languages

        registry.register("readiness.Assessment")
        registry.register("readiness.Answer")
        registry.register("readiness.Respondent")
        # Load KEY.cy.yaml, a Welsh version, with every instrument file KEY.yaml.
        languages.register()
        api.add_router("/", endpoints.router)
        extensions.add_organisation_tab(
            extensions.OrganisationTab("assessments", "Assessments", "readiness:list", 10, "readiness.view_assessments")
        )
