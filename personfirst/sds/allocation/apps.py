from django.apps import AppConfig


class AllocationConfig(AppConfig):
    name = "personfirst.sds.allocation"
    label = "allocation"
    verbose_name = "Resource allocation"

    def ready(self) -> None:
        from personfirst.core.audit import registry
        from personfirst.core.ui import extensions

        registry.register("allocation.RasVersion")
        registry.register("allocation.IndicativeBudget")
        extensions.add_person_tab(
            extensions.PersonTab("budget", "Indicative budget", "Your budget", "allocation:budgets", order=60)
        )
