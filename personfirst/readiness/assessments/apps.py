from django.apps import AppConfig


class ReadinessConfig(AppConfig):
    name = "personfirst.readiness.assessments"
    label = "readiness"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from personfirst.core.api.api import api
        from personfirst.core.audit import registry
        from personfirst.core.ui import extensions

        from . import api as endpoints
        from . import languages, structure
        from .models import Item, Section

        registry.register("readiness.Assessment")
        registry.register("readiness.Answer")
        registry.register("readiness.Respondent")
        for model in (Section, Item):  # an instrument's structure, kept per process, changed
            post_save.connect(structure.forget, sender=model, dispatch_uid=f"structure-forget-save-{model.__name__}")
            post_delete.connect(
                structure.forget, sender=model, dispatch_uid=f"structure-forget-delete-{model.__name__}"
            )
        # Who is a respondent is kept per request with the person's roles (rules.respondent_for).
        from personfirst.core.access.roles import forget_cached_access

        from .models import Respondent

        post_save.connect(forget_cached_access, sender=Respondent, dispatch_uid="forget-access-Respondent")
        post_delete.connect(forget_cached_access, sender=Respondent, dispatch_uid="forget-access-Respondent-gone")
        # Load KEY.cy.yaml, a Welsh version, with every instrument file KEY.yaml.
        languages.register()
        api.add_router("/", endpoints.router)
        extensions.add_organisation_tab(
            extensions.OrganisationTab("assessments", "Assessments", "readiness:list", 10, "readiness.view_assessments")
        )
