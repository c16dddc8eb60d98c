"""Role grants: who holds which role, over what, from when until when, granted by whom.

Roles are stored, never inferred from anything else (docs/decisions/0010).
A grant's scope is what the role is over: an organisation (its members and
administrators, a provider's editors, a support organisation's development
workers), a council area (commissioners, practitioners, approvers...), a
person's record (a personal assistant they employ), or nothing for a role
over the whole service (platform administrators, directory moderators).
The people a person chooses to support them (carers, family, advocates,
brokers) are people.Supporter: the same shape, with the person's consent.
Rules ask ``roles.holds(user, role, scope)``.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone


class RoleName(models.TextChoices):
    # Readiness and the service as a whole.
    ORGANISATION_MEMBER = "organisation_member", "Organisation member"
    ORGANISATION_ADMIN = "organisation_admin", "Organisation administrator"
    DEVELOPMENT_WORKER = "development_worker", "Development worker"
    COMMISSIONER = "commissioner", "Commissioner"
    PLATFORM_ADMIN = "platform_admin", "Platform administrator"
    # Self-directed support (council roles).
    PRACTITIONER = "practitioner", "Practitioner"
    TEAM_MANAGER = "team_manager", "Team manager"
    COUNCIL_ADMIN = "council_admin", "Council administrator"
    APPROVER = "approver", "Approver"
    FINANCE_OFFICER = "finance_officer", "Finance officer"
    # Marketplace.
    DIRECTORY_MODERATOR = "directory_moderator", "Directory moderator"
    PROVIDER_EDITOR = "provider_editor", "Provider editor"
    SCHEME_ADMINISTRATOR = "scheme_administrator", "Scheme administrator"
    PERSONAL_ASSISTANT = "personal_assistant", "Personal assistant"


class Scope(models.TextChoices):
    SERVICE = "service", "The whole service"
    ORGANISATION = "organisation", "An organisation"
    COUNCIL_AREA = "council_area", "A council area"
    PERSON = "person", "A person's record"


# What each role is over. A grant with another kind of scope is refused.
ROLE_SCOPES: dict[str, str] = {
    RoleName.ORGANISATION_MEMBER: Scope.ORGANISATION,
    RoleName.ORGANISATION_ADMIN: Scope.ORGANISATION,
    RoleName.DEVELOPMENT_WORKER: Scope.ORGANISATION,  # the support and development organisation they work for
    RoleName.COMMISSIONER: Scope.COUNCIL_AREA,
    RoleName.PLATFORM_ADMIN: Scope.SERVICE,
    RoleName.PRACTITIONER: Scope.COUNCIL_AREA,
    RoleName.TEAM_MANAGER: Scope.COUNCIL_AREA,
    RoleName.COUNCIL_ADMIN: Scope.COUNCIL_AREA,
    RoleName.APPROVER: Scope.COUNCIL_AREA,
    RoleName.FINANCE_OFFICER: Scope.COUNCIL_AREA,
    RoleName.DIRECTORY_MODERATOR: Scope.SERVICE,
    RoleName.PROVIDER_EDITOR: Scope.ORGANISATION,
    RoleName.SCHEME_ADMINISTRATOR: Scope.SERVICE,
    RoleName.PERSONAL_ASSISTANT: Scope.PERSON,  # the person who employs them
}

# Membership of an organisation: one of these per person and organisation.
MEMBERSHIP_ROLES = (RoleName.ORGANISATION_MEMBER, RoleName.ORGANISATION_ADMIN)
# Council roles a council administrator gives (over their own area); a
# platform administrator gives these and council administrators.
COUNCIL_ROLES = (
    RoleName.COMMISSIONER,
    RoleName.PRACTITIONER,
    RoleName.TEAM_MANAGER,
    RoleName.APPROVER,
    RoleName.FINANCE_OFFICER,
)
# Roles over the whole service, given by a platform administrator.
PLATFORM_ROLES = (RoleName.PLATFORM_ADMIN, RoleName.DIRECTORY_MODERATOR, RoleName.SCHEME_ADMINISTRATOR)

# What each role may do, in the service's words (hints on the forms that give roles).
ROLE_HINTS: dict[str, str] = {
    RoleName.ORGANISATION_MEMBER: "Takes part in assessments and sees the organisation's records.",
    RoleName.ORGANISATION_ADMIN: (
        "Also changes the profile, invites people and decides who the organisation shares with."
    ),
    RoleName.DEVELOPMENT_WORKER: "Works with the organisations that share their records with this one.",
    RoleName.COMMISSIONER: "Sees figures for the whole area, never one organisation's or person's records.",
    RoleName.PRACTITIONER: "Creates and keeps the records of people in the area.",
    RoleName.TEAM_MANAGER: "Manages a team of practitioners.",
    RoleName.COUNCIL_ADMIN: "Gives and ends the council's roles in the area.",
    RoleName.APPROVER: "Agrees personal budgets up to a limit.",
    RoleName.FINANCE_OFFICER: "Looks after payments of personal budgets.",
    RoleName.PLATFORM_ADMIN: "Runs the service: the admin site, every organisation, and the roles over the service.",
    RoleName.DIRECTORY_MODERATOR: "Checks what services and personal assistants say about themselves in the directory.",
    RoleName.PROVIDER_EDITOR: "Keeps a provider's directory entry up to date.",
    RoleName.SCHEME_ADMINISTRATOR: "Runs a scheme of accredited providers.",
    RoleName.PERSONAL_ASSISTANT: "Works for a person who employs them with their personal budget.",
}

# Roles that can see people's care records, or run the service: their holders
# must sign in with a second factor.
SENSITIVE_ROLES = frozenset(
    {
        RoleName.PLATFORM_ADMIN,
        RoleName.PRACTITIONER,
        RoleName.TEAM_MANAGER,
        RoleName.COUNCIL_ADMIN,
        RoleName.APPROVER,
        RoleName.FINANCE_OFFICER,
    }
)


class RoleGrantQuerySet(models.QuerySet["RoleGrant"]):
    def current(self, at=None) -> RoleGrantQuerySet:
        """Grants in force now (or at ``at``): started, not ended, not revoked."""
        at = at or timezone.now()
        return self.filter(Q(valid_from__lte=at), Q(valid_until__isnull=True) | Q(valid_until__gt=at), revoked_at=None)

    def not_ended(self, at=None) -> RoleGrantQuerySet:
        """Grants in force now or starting later: what a page of roles lists."""
        at = at or timezone.now()
        return self.filter(Q(valid_until__isnull=True) | Q(valid_until__gt=at), revoked_at=None)


class RoleGrant(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=32, choices=RoleName.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="role_grants"
    )
    council_area = models.ForeignKey(
        "organisations.CouncilArea", null=True, blank=True, on_delete=models.CASCADE, related_name="role_grants"
    )
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="role_grants"
    )
    # An approver's delegated limit: the largest yearly budget they may agree.
    limit = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    valid_from = models.DateTimeField(default=timezone.now)
    valid_until = models.DateTimeField(null=True, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = RoleGrantQuerySet.as_manager()

    class Meta:
        ordering = ["role", "-valid_from"]
        indexes = [models.Index(fields=["user", "role"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=True, council_area__isnull=True)
                | Q(organisation__isnull=True, person__isnull=True)
                | Q(council_area__isnull=True, person__isnull=True),
                name="role_grant_one_scope",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gt=models.F("valid_from")),
                name="role_grant_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(limit__isnull=True) | Q(limit__gte=0), name="role_grant_limit_not_negative"
            ),
        ]

    def __str__(self) -> str:
        over = self.organisation or self.council_area or self.person
        return f"{self.user}: {self.get_role_display()}" + (f" for {over}" if over else "")

    @property
    def scope(self) -> str:
        if self.organisation_id:
            return Scope.ORGANISATION
        if self.council_area_id:
            return Scope.COUNCIL_AREA
        if self.person_id:
            return Scope.PERSON
        return Scope.SERVICE

    @property
    def last_day(self):
        """The last day the role is held (the day before it ends), or None."""
        if self.valid_until is None:
            return None
        return (timezone.localtime(self.valid_until) - timedelta(microseconds=1)).date()

    @property
    def is_current(self) -> bool:
        now = timezone.now()
        return (
            self.revoked_at is None and self.valid_from <= now and (self.valid_until is None or self.valid_until > now)
        )

    def clean(self) -> None:
        wanted = ROLE_SCOPES.get(self.role)
        if wanted and self.scope != wanted:
            label = Scope(wanted).label.lower()
            raise ValidationError(f"A {self.get_role_display().lower()} role is held over {label}.")
        if self.limit is not None and self.role != RoleName.APPROVER:
            raise ValidationError({"limit": "Only an approver has a delegated limit."})
        if self.limit is not None and self.limit < Decimal(0):
            raise ValidationError({"limit": "Enter a limit of £0 or more."})
        if self.role == RoleName.APPROVER and self.limit is None:
            raise ValidationError({"limit": "Enter the approver's limit, in pounds."})
        if self.valid_until is not None and self.valid_from and self.valid_until <= self.valid_from:
            raise ValidationError({"valid_until": "The end must be after the start."})

    def get_additional_data(self) -> dict:
        return {"organisation_id": self.organisation_id} if self.organisation_id else {}
