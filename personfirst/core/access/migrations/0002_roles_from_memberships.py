"""Stored roles replace roles inferred from memberships and is_staff
(docs/decisions/0010), so that everyone keeps exactly what they had:

- each membership becomes an organisation member or administrator grant
  over its organisation, from the day the membership began;
- each member of a council becomes a commissioner for the council's area;
- each member of a local support and development organisation becomes a
  development worker for it;
- each user with is_staff becomes a platform administrator.
"""

from django.db import migrations

COUNCIL = "council"
SUPPORT_DEVELOPMENT = "support_development"


def forwards(apps, schema_editor):
    Membership = apps.get_model("organisations", "Membership")
    RoleGrant = apps.get_model("access", "RoleGrant")
    User = apps.get_model("accounts", "User")
    grants = []
    commissioners = set()
    for membership in Membership.objects.select_related("organisation").order_by("pk"):
        organisation = membership.organisation
        since = membership.created_at
        role = "organisation_admin" if membership.role == "admin" else "organisation_member"
        grants.append(
            RoleGrant(user_id=membership.user_id, role=role, organisation_id=organisation.pk, valid_from=since)
        )
        if organisation.org_type == COUNCIL and (membership.user_id, organisation.council_area_id) not in commissioners:
            commissioners.add((membership.user_id, organisation.council_area_id))
            grants.append(
                RoleGrant(
                    user_id=membership.user_id,
                    role="commissioner",
                    council_area_id=organisation.council_area_id,
                    valid_from=since,
                )
            )
        if organisation.org_type == SUPPORT_DEVELOPMENT:
            grants.append(
                RoleGrant(
                    user_id=membership.user_id,
                    role="development_worker",
                    organisation_id=organisation.pk,
                    valid_from=since,
                )
            )
    for user in User.objects.filter(is_staff=True).order_by("pk"):
        grants.append(RoleGrant(user_id=user.pk, role="platform_admin", valid_from=user.date_joined))
    RoleGrant.objects.bulk_create(grants)


def backwards(apps, schema_editor):
    Membership = apps.get_model("organisations", "Membership")
    RoleGrant = apps.get_model("access", "RoleGrant")
    User = apps.get_model("accounts", "User")
    current = RoleGrant.objects.filter(revoked_at=None)
    for grant in current.filter(role__in=["organisation_member", "organisation_admin"]).order_by("role"):
        Membership.objects.update_or_create(
            user_id=grant.user_id,
            organisation_id=grant.organisation_id,
            defaults={"role": "admin" if grant.role == "organisation_admin" else "member"},
        )
    User.objects.filter(pk__in=current.filter(role="platform_admin").values("user")).update(is_staff=True)


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0001_initial"),
        ("accounts", "0001_initial"),
        ("organisations", "0002_sharing_parts_and_invitation_roles"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
