from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "personfirst.readiness.plans"
    label = "plans"

    def ready(self) -> None:
        from personfirst.core.api.api import api
        from personfirst.core.audit import registry
        from personfirst.core.ui import extensions
        from personfirst.readiness.assessments.loading import register_companion
        from personfirst.readiness.assessments.signals import assessment_submitted

        from . import api as endpoints
        from . import library_loading, services
        from .templatetags.plans import next_steps_panel, overdue_panel

        registry.register("plans.Action")
        registry.register("plans.ProgressNote")
        registry.register("plans.Target")
        assessment_submitted.connect(services.on_assessment_submitted, dispatch_uid="plans-draft-on-submit")
        # Load KEY.actions.yaml with every instrument file KEY.yaml (readiness never imports plans).
        register_companion(library_loading.ACTION_LIBRARY)
        api.add_router("/", endpoints.router)
        extensions.add_organisation_tab(
            extensions.OrganisationTab("plan", "Action plan", "plans:plan", 30, "plans.view_plan")
        )
        # The overdue actions, under the tabs of the organisation's home page.
        extensions.add_panel(
            extensions.Panel(extensions.ORGANISATION_BANNER, "plans/_overdue.html", overdue_panel, order=10)
        )
        # What each of the person's organisations should do next, first on their home page.
        extensions.add_panel(
            extensions.Panel(extensions.DASHBOARD, "plans/_dashboard_next_steps.html", next_steps_panel, order=10)
        )
