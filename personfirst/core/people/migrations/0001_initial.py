import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("organisations", "0003_remove_membership"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Person",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("given_name", models.CharField(max_length=100, verbose_name="first name")),
                ("family_name", models.CharField(max_length=100, verbose_name="last name")),
                ("preferred_name", models.CharField(blank=True, max_length=100, verbose_name="what they like to be called")),
                ("date_of_birth", models.DateField(blank=True, null=True)),
                ("email", models.EmailField(blank=True, max_length=254, verbose_name="e-mail address")),
                ("phone", models.CharField(blank=True, max_length=40, verbose_name="phone number")),
                ("address", models.TextField(blank=True)),
                ("what_matters", models.TextField(blank=True, verbose_name="what matters to them")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "council_area",
                    models.ForeignKey(
                        help_text="Whose care team keeps the record.",
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="people",
                        to="organisations.councilarea",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "user",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="own_record",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "person's record",
                "verbose_name_plural": "people's records",
                "ordering": ["family_name", "given_name", "id"],
            },
        ),
        migrations.CreateModel(
            name="Supporter",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=200, verbose_name="their name")),
                ("email", models.EmailField(max_length=254, verbose_name="their e-mail address")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("carer", "Carer"),
                            ("family", "Family member"),
                            ("advocate", "Advocate"),
                            ("broker", "Broker"),
                        ],
                        max_length=20,
                    ),
                ),
                ("may_edit", models.BooleanField(default=False, verbose_name="may change the record with the person")),
                ("may_act", models.BooleanField(default=False, verbose_name="may act on the person's behalf")),
                ("consent_given_at", models.DateTimeField(blank=True, null=True)),
                (
                    "consent_by",
                    models.CharField(
                        choices=[
                            ("person", "The person, themselves"),
                            ("practitioner", "A practitioner, on what the person said"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "consent_how",
                    models.CharField(
                        choices=[
                            ("online", "Online, on PersonFirst"),
                            ("in_person", "In person"),
                            ("phone", "By phone"),
                            ("writing", "In writing"),
                        ],
                        max_length=20,
                    ),
                ),
                ("consent_note", models.TextField(blank=True)),
                ("valid_until", models.DateField(blank=True, null=True, verbose_name="last day")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("ended_at", models.DateTimeField(blank=True, null=True)),
                (
                    "consent_recorded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "ended_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="supporters", to="people.person"
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="supporting",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={"ordering": ["created_at", "pk"]},
        ),
        migrations.CreateModel(
            name="PersonInvitation",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("email", models.EmailField(max_length=254)),
                ("token_hash", models.CharField(editable=False, max_length=64, unique=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("expires_at", models.DateTimeField()),
                ("accepted_at", models.DateTimeField(blank=True, null=True)),
                ("revoked_at", models.DateTimeField(blank=True, null=True)),
                (
                    "invited_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="invitations", to="people.person"
                    ),
                ),
                (
                    "supporter",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="invitation",
                        to="people.supporter",
                    ),
                ),
            ],
            options={"ordering": ["-created_at"], "abstract": False},
        ),
        migrations.CreateModel(
            name="ExceptionalAccess",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("reason", models.TextField()),
                ("started_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("ends_at", models.DateTimeField()),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="exceptional_access",
                        to="people.person",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
            ],
            options={
                "ordering": ["-started_at"],
                "indexes": [models.Index(fields=["person", "user", "ends_at"], name="people_access_person_user")],
            },
        ),
        migrations.CreateModel(
            name="RecordRead",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "what",
                    models.CharField(help_text="What was read, such as 'the record' or 'supporters'.", max_length=100),
                ),
                ("as_role", models.CharField(max_length=100)),
                ("routine", models.BooleanField(default=True)),
                ("reason", models.TextField(blank=True)),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="reads", to="people.person"
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-at", "-pk"],
                "indexes": [models.Index(fields=["person", "-at"], name="people_read_person_at")],
            },
        ),
    ]
