from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "personfirst.core.access"
    label = "access"

    def ready(self) -> None:
        from personfirst.core.audit import registry

        registry.register("access.RoleGrant")
