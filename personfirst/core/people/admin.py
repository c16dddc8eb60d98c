"""People's records in the admin: what a platform administrator may see of
them. They run the service, not anyone's care: so the admin lists records by
reference and area only, and shows no one's details (a platform
administrator reads a record only with a practitioner's role, like anyone)."""

from django.contrib import admin

from personfirst.core.ui.admin_site import PlatformModelAdmin, admin_site

from .models import Person, Team


@admin.register(Person, site=admin_site)
class PersonAdmin(PlatformModelAdmin):
    list_display = ["reference", "council_area", "created_at"]
    list_filter = ["council_area"]
    fields = ["reference", "council_area", "created_at"]
    readonly_fields = ["reference", "created_at"]

    def has_add_permission(self, request) -> bool:
        return False  # practitioners create records, in the service

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Team, site=admin_site)
class TeamAdmin(PlatformModelAdmin):
    """Council teams and their members: which practitioners read which
    allocated records as routine."""

    list_display = ["name", "council_area"]
    list_filter = ["council_area"]
    fields = ["name", "council_area", "members"]
    filter_horizontal = ["members"]
