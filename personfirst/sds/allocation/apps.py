from django.apps import AppConfig


class AllocationConfig(AppConfig):
    name = "personfirst.sds.allocation"
    label = "allocation"
    verbose_name = "Resource allocation"

    def ready(self) -> None:
        from personfirst.core.api.api import api
        from personfirst.core.audit import registry
        from personfirst.core.ui import extensions

        from . import api as endpoints

        api.add_router("/", endpoints.router)

        registry.register("allocation.RasVersion")
        registry.register("allocation.IndicativeBudget")
        extensions.add_person_tab(
            extensions.PersonTab("budget", "Indicative budget", "Your budget", "allocation:budgets", order=60)
        )
