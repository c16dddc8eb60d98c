"""A role may be over a person's record (a personal assistant they employ)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0002_roles_from_memberships"),
        ("people", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="rolegrant",
            name="person",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="role_grants",
                to="people.person",
            ),
        ),
        migrations.RemoveConstraint(model_name="rolegrant", name="role_grant_one_scope"),
        migrations.AddConstraint(
            model_name="rolegrant",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("council_area__isnull", True), ("organisation__isnull", True)),
                    models.Q(("organisation__isnull", True), ("person__isnull", True)),
                    models.Q(("council_area__isnull", True), ("person__isnull", True)),
                    _connector="OR",
                ),
                name="role_grant_one_scope",
            ),
        ),
    ]
