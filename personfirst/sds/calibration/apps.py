from django.apps import AppConfig


class CalibrationConfig(AppConfig):
    name = "personfirst.sds.calibration"
    label = "calibration"
    verbose_name = "RAS calibration"

    def ready(self) -> None:
        from personfirst.core.api.api import api
        from personfirst.core.audit import registry

        from . import api as endpoints

        api.add_router("/", endpoints.router)
        registry.register("calibration.CalibrationImport")
