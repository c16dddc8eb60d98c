from django.contrib import admin, messages
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from personfirst.core import privacy
from personfirst.core.access.models import RoleGrant
from personfirst.core.ui.admin_site import PlatformModelAdmin, PlatformTabularInline, admin_site

from .models import ApiToken, User


@admin.action(description="Erase the selected people's personal data (cannot be undone)")
def erase_selected(modeladmin, request, queryset) -> None:
    count = 0
    for user in queryset.filter(erased_at__isnull=True):
        privacy.erase(user)
        count += 1
    modeladmin.message_user(request, f"Erased {count} account(s).", messages.SUCCESS)


class RoleGrantInline(PlatformTabularInline):
    """The person's roles, current and ended (access.RoleGrant). A role is ended, never deleted."""

    model = RoleGrant
    fk_name = "user"
    extra = 0
    fields = ["role", "organisation", "council_area", "limit", "valid_from", "valid_until", "granted_by", "revoked_at"]
    readonly_fields = fields
    verbose_name_plural = "roles"

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # given under Access > Role grants, where who gives it is recorded

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(User, site=admin_site)
class UserAdmin(PlatformModelAdmin):
    list_display = ["email", "full_name", "is_active", "date_joined", "erased_at"]
    list_filter = ["is_active"]
    search_fields = ["email", "full_name"]
    # is_superuser opens nothing (User.has_perm), so it is not offered here.
    fields = ["email", "full_name", "is_active", "date_joined", "last_login", "erased_at"]
    readonly_fields = ["date_joined", "last_login", "erased_at"]
    actions = [erase_selected]
    inlines = [RoleGrantInline]

    # People join by invitation and leave by erasure, which keeps the
    # aggregate figures right; deleting a row would not.
    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ApiToken, site=admin_site)
class ApiTokenAdmin(PlatformModelAdmin):
    list_display = ["name", "user", "hint", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["user", "hint", "created_at", "last_used_at"]
    fields = ["user", "name", "hint", "created_at", "last_used_at", "revoked_at"]

    # Tokens are issued by their owners and revoked (a change), never deleted.
    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class TwoFactorDeviceAdmin(PlatformModelAdmin):
    """Two-factor sign-in devices: a platform administrator deletes one for
    someone who has lost their phone (and their recovery codes), who then sets
    up a new one when they next sign in. The secret is never shown."""

    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at"]
    readonly_fields = fields
    search_fields = ["user__email"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


admin_site.register(TOTPDevice, TwoFactorDeviceAdmin)
admin_site.register(StaticDevice, TwoFactorDeviceAdmin)
