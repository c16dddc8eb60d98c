from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "personfirst.market.directory"
    label = "directory"
    verbose_name = "Directory"

    def ready(self) -> None:
        from personfirst.core.audit import registry
        from personfirst.core.ui import extensions

        from . import postcodes

        for model in (
            "Provider",
            "Service",
            "CostOption",
            "Submission",
            "Decision",
            "TaxonomyTerm",
        ):
            registry.register(f"directory.{model}")
        extensions.add_nav_item(
            extensions.NavItem("Directory moderation", "directory:queue", "directory.moderate", order=40)
        )
        extensions.add_organisation_tab(
            extensions.OrganisationTab("directory", "Directory", "directory:provider", 40, "directory.view_entries")
        )
        extensions.add_footer_link(extensions.FooterLink("Find care and support", "search:search", order=10))
        extensions.add_footer_link(extensions.FooterLink("Open Referral UK data", "oruk:root", order=20))
        extensions.add_footer_credit(
            extensions.FooterCredit(postcodes.CREDIT, "Open Government Licence v3.0", postcodes.CREDIT_URL)
        )
        # The moderation queue in counts, on the moderator's home page.
        extensions.add_panel(extensions.Panel(extensions.DASHBOARD, "directory/_dashboard.html", _queue, order=40))


def _queue(user, _obj) -> dict | None:
    from django.utils import timezone

    from .models import Submission

    if not user.has_perm("directory.view_queue"):
        return None
    today = timezone.localdate()
    waiting = list(Submission.objects.queue())
    return {
        "waiting": len(waiting),
        "overdue": sum(1 for submission in waiting if submission.is_overdue(today)),
        "can_decide": user.has_perm("directory.moderate"),
    }
