from django.contrib import admin

from personfirst.core.access.models import RoleGrant
from personfirst.core.ui.admin_site import PlatformModelAdmin, PlatformTabularInline, admin_site

from .models import AccessGrant, CouncilArea, Invitation, Organisation


class RoleGrantInline(PlatformTabularInline):
    """Roles over the organisation: its members, administrators, development workers."""

    model = RoleGrant
    fk_name = "organisation"
    extra = 0
    fields = ["user", "role", "valid_from", "valid_until", "granted_by", "revoked_at", "revoked_by"]
    readonly_fields = ["granted_by", "revoked_by"]
    autocomplete_fields = ["user"]
    verbose_name = "role over this organisation"
    verbose_name_plural = "people and their roles over this organisation"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "granted_by", "revoked_by")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # ended (revoked at), never deleted


@admin.register(Organisation, site=admin_site)
class OrganisationAdmin(PlatformModelAdmin):
    list_display = ["name", "org_type", "council_area", "paid_staff", "volunteers"]
    list_filter = ["org_type", "council_area"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [RoleGrantInline]

    def save_formset(self, request, form, formset, change):
        saved = formset.save(commit=False)
        ended = {obj.pk for obj, fields in formset.changed_objects if "revoked_at" in fields}
        for grant in saved:
            if grant.pk is None:
                grant.granted_by = request.user
            elif grant.pk in ended:
                grant.revoked_by = request.user if grant.revoked_at else None
            grant.save()
        formset.save_m2m()


@admin.register(CouncilArea, site=admin_site)
class CouncilAreaAdmin(PlatformModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(AccessGrant, site=admin_site)
class AccessGrantAdmin(PlatformModelAdmin):
    list_display = ["organisation", "support_organisation", "assessments", "plan", "created_at", "revoked_at"]


@admin.register(Invitation, site=admin_site)
class InvitationAdmin(PlatformModelAdmin):
    list_display = ["email", "organisation", "role", "created_at", "expires_at", "accepted_at", "revoked_at"]
    readonly_fields = ["token_hash"]
