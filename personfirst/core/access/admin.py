from django.contrib import admin

from personfirst.core.ui.admin_site import PlatformModelAdmin, admin_site

from .models import RoleGrant


@admin.register(RoleGrant, site=admin_site)
class RoleGrantAdmin(PlatformModelAdmin):
    """Every role grant. A grant is ended, not deleted, so the record of who
    held what, and who gave it, stays (ending it here: set "revoked at")."""

    list_display = (
        "user",
        "role",
        "organisation",
        "council_area",
        "limit",
        "valid_from",
        "valid_until",
        "granted_by",
        "revoked_at",
    )
    list_filter = ("role",)
    list_select_related = ("user", "organisation", "council_area", "granted_by")
    search_fields = ("user__email", "user__full_name", "organisation__name", "council_area__name")
    autocomplete_fields = ("user", "organisation", "council_area")
    readonly_fields = ("granted_by", "granted_at", "revoked_by")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.granted_by = request.user
        elif "revoked_at" in form.changed_data:
            obj.revoked_by = request.user if obj.revoked_at else None
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
