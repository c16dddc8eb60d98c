"""Organisations, who belongs to them, who they share with, and invitations."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from personfirst.core.access.models import RoleName
from personfirst.core.accounts.invitations import InvitationBase, token_hash

from .choices import OrganisationType, ServiceKind, SizeBand, size_band


class CouncilArea(models.Model):
    """A council's area (an English local authority)."""

    code = models.CharField(max_length=12, unique=True, help_text="ONS code, such as E06000001")
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    org_type = models.CharField("type", max_length=32, choices=OrganisationType.choices)
    paid_staff = models.PositiveIntegerField(default=0)
    volunteers = models.PositiveIntegerField(default=0)
    council_area = models.ForeignKey(CouncilArea, on_delete=models.PROTECT, related_name="organisations")
    services = models.JSONField(
        default=list, blank=True, help_text="Codes from ServiceKind: the kinds of service it provides."
    )
    description = models.TextField(blank=True)
    # The longest description the web form and the API accept.
    DESCRIPTION_MAX_LENGTH = 5000
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["council_area", "org_type"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisations:detail", args=[self.slug])

    @property
    def size_band(self) -> SizeBand:
        return size_band(self.paid_staff, self.volunteers)

    def service_labels(self) -> list[str]:
        labels = dict(ServiceKind.choices)
        return [labels.get(code, code) for code in self.services]

    @property
    def is_council(self) -> bool:
        return self.org_type == OrganisationType.COUNCIL

    @property
    def is_support_organisation(self) -> bool:
        return self.org_type == OrganisationType.SUPPORT_DEVELOPMENT

    def get_additional_data(self) -> dict:
        return {"organisation_id": self.pk}


# The roles an invitation to an organisation can give (access.RoleGrant over
# the organisation); a development worker also becomes a member.
INVITATION_ROLES = [
    (RoleName.ORGANISATION_MEMBER.value, "Member"),
    (RoleName.ORGANISATION_ADMIN.value, "Administrator"),
    (RoleName.DEVELOPMENT_WORKER.value, "Development worker"),
]


class AccessGrantQuerySet(models.QuerySet["AccessGrant"]):
    def active(self) -> AccessGrantQuerySet:
        return self.filter(revoked_at__isnull=True)


class AccessGrant(models.Model):
    """An organisation lets a local support and development organisation's
    development workers see its profile, and the parts of its records it
    chooses: its assessments (with their results, reports and history)
    and its action plan. It can take that back at any time."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="grants_given")
    support_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="grants_received",
        limit_choices_to={"org_type": OrganisationType.SUPPORT_DEVELOPMENT},
    )
    assessments = models.BooleanField(
        "shares its assessments", default=True, help_text="Readiness assessments, their results, reports and history."
    )
    plan = models.BooleanField("shares its action plan", default=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AccessGrantQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "support_organisation"],
                condition=Q(revoked_at__isnull=True),
                name="one_active_grant_per_pair",
            )
        ]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.organisation} shares with {self.support_organisation}"

    def parts(self) -> list[str]:
        """What it shares, in words: always the profile."""
        shared = ["profile"]
        if self.assessments:
            shared.append("assessments")
        if self.plan:
            shared.append("action plan")
        return shared

    def revoke(self, by) -> None:
        self.revoked_at = timezone.now()
        self.revoked_by = by
        self.save(update_fields=["revoked_at", "revoked_by"])

    def get_additional_data(self) -> dict:
        return {"organisation_id": self.organisation_id}


class Invitation(InvitationBase):
    """An invitation to join an organisation, with a role over it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(max_length=32, choices=INVITATION_ROLES, default=RoleName.ORGANISATION_MEMBER)

    class Meta(InvitationBase.Meta):
        pass

    def __str__(self) -> str:
        return f"Invitation to {self.organisation} ({self.get_role_display()})"

    @classmethod
    def create(cls, *, organisation: Organisation, email: str, role: str, invited_by) -> tuple[Invitation, str]:
        return cls.issue(email=email, invited_by=invited_by, organisation=organisation, role=role)

    @classmethod
    def find(cls, raw: str) -> Invitation | None:
        return cls.objects.select_related("organisation").filter(token_hash=token_hash(raw)).first()

    def get_additional_data(self) -> dict:
        return {"organisation_id": self.organisation_id}
