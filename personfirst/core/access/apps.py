from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "personfirst.core.access"
    label = "access"

    def ready(self) -> None:
        from personfirst.core.audit import registry

        registry.register("access.RoleGrant")

        # A request keeps what its user may reach (roles._for_this_request);
        # a change of grant or of sharing makes it look again.
        from django.db.models.signals import post_delete, post_save

        from personfirst.core.organisations.models import AccessGrant

        from .models import RoleGrant
        from .roles import forget_cached_access

        for model in (RoleGrant, AccessGrant):
            post_save.connect(forget_cached_access, sender=model, dispatch_uid=f"forget-access-{model.__name__}")
            post_delete.connect(forget_cached_access, sender=model, dispatch_uid=f"forget-access-{model.__name__}-gone")
