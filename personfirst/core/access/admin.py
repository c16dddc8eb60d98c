from django.contrib import admin

from personfirst.core.ui.admin_site import PlatformModelAdmin, admin_site

from .models import RoleGrant


@admin.register(RoleGrant, site=admin_site)
class RoleGrantAdmin(PlatformModelAdmin):
    list_display = ("user", "role", "organisation", "council_area", "limit", "valid_from", "valid_until", "revoked_at")
    list_filter = ("role",)
    search_fields = ("user__email", "user__full_name", "organisation__name", "council_area__name")
    autocomplete_fields = ("user", "organisation", "council_area")
    readonly_fields = ("granted_by", "granted_at", "revoked_by")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.granted_by = request.user
        super().save_model(request, obj, form, change)
