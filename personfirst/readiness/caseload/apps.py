from django.apps import AppConfig


class CaseloadConfig(AppConfig):
    name = "personfirst.readiness.caseload"
    label = "caseload"

    def ready(self) -> None:
        from personfirst.core.ui import extensions

        extensions.add_nav_item(extensions.NavItem("Caseload", "caseload:caseload", "caseload.view_caseload", order=20))
        # The caseload in counts, with links to the organisations that need something, on the worker's home page.
        extensions.add_panel(extensions.Panel(extensions.DASHBOARD, "caseload/_dashboard.html", _panel, order=20))


def _panel(user, _obj) -> dict | None:
    from django.urls import reverse

    from . import rows

    if not user.has_perm("caseload.view_caseload"):
        return None
    return {
        "summary": rows.summary(user),
        "support_organisations": rows.support_organisations(user),
        "caseload_url": reverse("caseload:caseload"),
    }
