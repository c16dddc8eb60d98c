"""The directory in the admin site (platform administrators): providers,
taxonomies (a council maps a national term to one of our themes here),
and read-only views of services and submissions, which change through
moderation and imports."""

from django.contrib import admin

from personfirst.core.ui.admin_site import PlatformModelAdmin, admin_site

from . import publishing
from .models import Provider, Service, Submission, Taxonomy, TaxonomyTerm


@admin.register(Provider, site=admin_site)
class ProviderAdmin(PlatformModelAdmin):
    list_display = ("name", "organisation", "email", "website")
    search_fields = ("name", "organisation__name")
    autocomplete_fields = ("organisation",)


@admin.register(Taxonomy, site=admin_site)
class TaxonomyAdmin(PlatformModelAdmin):
    list_display = ("name", "version", "uri")
    search_fields = ("name",)


@admin.register(TaxonomyTerm, site=admin_site)
class TaxonomyTermAdmin(PlatformModelAdmin):
    list_display = ("name", "code", "taxonomy", "theme")
    list_filter = ("theme", "taxonomy")
    search_fields = ("name", "code")
    raw_id_fields = ("parent",)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "theme" in form.changed_data:
            publishing.rethink_themes(obj)


class ReadOnly(PlatformModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Service, site=admin_site)
class ServiceAdmin(ReadOnly):
    list_display = ("name", "provider", "status", "assured_date", "lowest_price")
    list_filter = ("status", "accredited", "personal_assistant")
    search_fields = ("name", "provider__name")


@admin.register(Submission, site=admin_site)
class SubmissionAdmin(ReadOnly):
    list_display = ("__str__", "provider", "status", "submitted_at", "due_on", "decided_by")
    list_filter = ("status",)
