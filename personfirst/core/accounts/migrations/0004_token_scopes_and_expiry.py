import datetime

from django.db import migrations, models
from django.utils import timezone


def existing_tokens(apps, schema_editor):
    """Tokens made before scopes could do everything their owner can: they keep
    every scope, and expire 90 days from now (their owners can make new ones)."""
    ApiToken = apps.get_model("accounts", "ApiToken")
    ApiToken.objects.update(scopes=["read", "write", "people"], expires_at=timezone.now() + datetime.timedelta(days=90))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_merge_0002_remove_user_is_staff_0002_request_count"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="scopes",
            field=models.JSONField(default=list, help_text="What the token may be used for: read, write, people"),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(existing_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(),
        ),
    ]
