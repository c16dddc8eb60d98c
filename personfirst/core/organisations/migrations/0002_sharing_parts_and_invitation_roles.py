"""What an organisation shares (its assessments, its action plan), and
invitations that give a stored role (docs/decisions/0010)."""

from django.db import migrations, models

OLD_TO_NEW = {"member": "organisation_member", "admin": "organisation_admin"}


def roles_forwards(apps, schema_editor):
    Invitation = apps.get_model("organisations", "Invitation")
    for old, new in OLD_TO_NEW.items():
        Invitation.objects.filter(role=old).update(role=new)


def roles_backwards(apps, schema_editor):
    Invitation = apps.get_model("organisations", "Invitation")
    for old, new in OLD_TO_NEW.items():
        Invitation.objects.filter(role=new).update(role=old)
    Invitation.objects.filter(role="development_worker").update(role="member")


class Migration(migrations.Migration):
    dependencies = [("organisations", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="accessgrant",
            name="assessments",
            field=models.BooleanField(
                default=True,
                help_text="Readiness assessments, their results, reports and history.",
                verbose_name="shares its assessments",
            ),
        ),
        migrations.AddField(
            model_name="accessgrant",
            name="plan",
            field=models.BooleanField(default=True, verbose_name="shares its action plan"),
        ),
        migrations.AlterField(
            model_name="invitation",
            name="role",
            field=models.CharField(
                choices=[
                    ("organisation_member", "Member"),
                    ("organisation_admin", "Administrator"),
                    ("development_worker", "Development worker"),
                ],
                default="organisation_member",
                max_length=32,
            ),
        ),
        migrations.RunPython(roles_forwards, roles_backwards),
    ]
