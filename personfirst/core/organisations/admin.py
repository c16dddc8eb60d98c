from django.contrib import admin

from personfirst.core.ui.admin_site import PlatformModelAdmin, PlatformTabularInline, admin_site

from .models import AccessGrant, CouncilArea, Invitation, Membership, Organisation


class MembershipInline(PlatformTabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation, site=admin_site)
class OrganisationAdmin(PlatformModelAdmin):
    list_display = ["name", "org_type", "council_area", "paid_staff", "volunteers"]
    list_filter = ["org_type", "council_area"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(CouncilArea, site=admin_site)
class CouncilAreaAdmin(PlatformModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(AccessGrant, site=admin_site)
class AccessGrantAdmin(PlatformModelAdmin):
    list_display = ["organisation", "support_organisation", "created_at", "revoked_at"]


@admin.register(Invitation, site=admin_site)
class InvitationAdmin(PlatformModelAdmin):
    list_display = ["email", "organisation", "role", "created_at", "expires_at", "accepted_at", "revoked_at"]
    readonly_fields = ["token_hash"]
