"""Platform administrators hold a role grant now (access.RoleGrant,
docs/decisions/0010); is_staff is gone, so nothing can read it by mistake."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("access", "0002_roles_from_memberships"),
    ]

    operations = [migrations.RemoveField(model_name="user", name="is_staff")]
