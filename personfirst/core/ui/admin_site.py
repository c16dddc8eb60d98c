"""The Django admin, for platform administrators only.

Anyone signed in who does not hold a current platform administrator role
(access.RoleGrant) gets "not found", superusers included, and anyone signed
out is sent to the normal sign-in page: the admin's own login form is never
shown. The rules decide (``access.use_admin_site`` in core/access/rules.py);
Django's model permissions and ``is_superuser`` open nothing here.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import Http404


class PersonFirstAdminSite(admin.AdminSite):
    site_header = "PersonFirst administration"
    site_title = "PersonFirst administration"
    index_title = "Platform administration"

    def has_permission(self, request) -> bool:
        # Asked many times a page: the answer is kept for the request.
        if not hasattr(request, "_may_use_admin_site"):
            request._may_use_admin_site = request.user.has_perm("access.use_admin_site")
        return request._may_use_admin_site

    def admin_view(self, view, cacheable: bool = False):
        inner = super().admin_view(view, cacheable)

        def guarded(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not self.has_permission(request):
                raise Http404
            return inner(request, *args, **kwargs)

        guarded.__wrapped__ = inner  # type: ignore[attr-defined]
        return guarded

    def login(self, request, extra_context=None):
        return redirect_to_login(request.GET.get("next") or "/admin/")


admin_site = PersonFirstAdminSite(name="admin")


class PlatformPermissions:
    """Every model in this admin is managed by platform administrators.

    They hold no Django model permissions and need none: the rules say who
    is a platform administrator, and being one is the permission (a
    superuser who is not one gets nothing). A ModelAdmin that must refuse
    them something (adding people, deleting tokens) overrides the one
    method concerned.
    """

    def has_module_permission(self, request) -> bool:
        return admin_site.has_permission(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return admin_site.has_permission(request)

    def has_add_permission(self, request, *args) -> bool:  # inlines also pass obj
        return admin_site.has_permission(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return admin_site.has_permission(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return admin_site.has_permission(request)


class PlatformModelAdmin(PlatformPermissions, admin.ModelAdmin):
    pass


class PlatformTabularInline(PlatformPermissions, admin.TabularInline):
    pass
