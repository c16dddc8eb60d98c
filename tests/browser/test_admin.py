"""The admin site, checked with axe-core like every other page (WCAG 2.2 A
and AA, and axe's best practices): the index, a list, and a form with a
split date and time (a role grant's "valid from"). The admin site is
Django's own; what we change is in personfirst/core/ui/templates/admin/
and frontend/scss/admin.scss, and docs/accessibility.md says what is left."""

from __future__ import annotations

import pytest

from .conftest import sign_in

pytestmark = pytest.mark.browser


def test_the_admin_site_passes_axe(world, page):
    from personfirst.core.access.models import RoleGrant

    sign_in(page, world.platform.email, world.password)
    page.visit("/admin/")
    assert page.locator('link[rel="icon"]').count() == 1
    page.visit("/admin/access/rolegrant/")
    grant = RoleGrant.objects.filter(valid_until__isnull=True).first()
    page.visit(f"/admin/access/rolegrant/{grant.pk}/change/")
    # Both halves of a date and time have a label of their own.
    for half in ("0", "1"):
        field = page.locator(f"#id_valid_from_{half}")
        assert field.count() == 1
        assert page.locator(f'label[for="id_valid_from_{half}"]').count() == 1
    # The organisation's search box (select2) is named by its field's label.
    assert page.locator('[role="combobox"][aria-label="Organisation"]').count() == 1
    # select2 sets its widths in style attributes, which the service's
    # Content-Security-Policy refuses (docs/accessibility.md, "The admin
    # site"): the boxes keep the admin stylesheet's width. Nothing else may
    # be reported.
    page.console_errors[:] = [e for e in page.console_errors if "Applying inline style violates" not in e]
