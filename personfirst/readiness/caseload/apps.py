from django.apps import AppConfig


class CaseloadConfig(AppConfig):
    name = "personfirst.readiness.caseload"
    label = "caseload"

    def ready(self) -> None:
        from personfirst.core.ui import extensions

        extensions.add_nav_item(extensions.NavItem("Caseload", "caseload:caseload", "caseload.view_caseload", order=20))
