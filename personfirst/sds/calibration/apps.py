from django.apps import AppConfig


class CalibrationConfig(AppConfig):
    name = "personfirst.sds.calibration"
    label = "calibration"
    verbose_name = "RAS calibration"

    def ready(self) -> None:
        from personfirst.core.api.api import api
        from personfirst.core.audit import registry
        from personfirst.core.ui import extensions

        from . import api as endpoints

        api.add_router("/", endpoints.router)
        registry.register("calibration.CalibrationImport")
        # The areas a council administrator calibrates, on their home page.
        extensions.add_panel(extensions.Panel(extensions.DASHBOARD, "calibration/_dashboard.html", _areas, order=60))


def _areas(user, _obj) -> dict | None:
    from personfirst.core.access.models import RoleName
    from personfirst.core.access.roles import areas_with_role

    areas = list(areas_with_role(user, RoleName.COUNCIL_ADMIN).order_by("name"))
    return {"areas": areas} if areas else None
