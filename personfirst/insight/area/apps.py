from django.apps import AppConfig


class InsightConfig(AppConfig):
    name = "personfirst.insight.area"
    label = "insight"
    verbose_name = "Area insight"

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from personfirst.core.ui import extensions
        from personfirst.readiness.assessments.signals import assessment_submitted

        from . import facts
        from .models import Submission

        assessment_submitted.connect(facts.on_assessment_submitted, dispatch_uid="insight-facts-on-submit")
        post_delete.connect(facts.on_submission_deleted, sender=Submission, dispatch_uid="insight-facts-on-delete")
        extensions.add_nav_item(extensions.NavItem("Area insight", "insight:index", "insight.view_national", order=40))
        extensions.add_organisation_tab(
            extensions.OrganisationTab(
                "standing", "How you compare", "insight:standing", 20, "readiness.view_assessments"
            )
        )
        # The council areas a commissioner looks after, at a glance, on their home page.
        extensions.add_panel(extensions.Panel(extensions.DASHBOARD, "insight/_dashboard_areas.html", _areas, order=30))


def _areas(user, _obj) -> dict | None:
    """Each area the person commissions for: how many organisations its newest
    published figures count (the same suppressed count as its pages), or
    that none are published yet."""
    from personfirst.core.access import roles
    from personfirst.core.access.disclosure import MINIMUM

    from . import report

    areas = list(roles.commissioned_areas(user).order_by("name"))
    if not areas:
        return None
    return {"areas": [(area, report.group_counts(area)) for area in areas], "minimum": MINIMUM}
