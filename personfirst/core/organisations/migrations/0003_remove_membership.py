"""Memberships are role grants now (access.RoleGrant, docs/decisions/0010)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0002_sharing_parts_and_invitation_roles"),
        ("access", "0002_roles_from_memberships"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="membership", name="one_membership_per_org"),
        migrations.DeleteModel(name="Membership"),
    ]
