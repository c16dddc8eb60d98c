"""People's records: the base for self-directed support.

A ``Person`` is someone who uses care and support. Their record is separate
from any account (``accounts.User``): many people who use care have no
e-mail address, a practitioner creates the record, and the person may be
invited to sign in later (``Person.user``).

A ``Supporter`` is someone the person chooses to help them (a carer, a
family member, an advocate, a broker), with the person's consent, recorded
with when, how and by whom; what they may do (see the record, change it
with the person, act on the person's behalf); and until when.

Every read of a record is a ``RecordRead``: who, when, what they read, and
why when it was not routine. A council role other than a practitioner's
reads a record only after giving a reason (``ExceptionalAccess``, for an
hour), and that reason is on every read it covers. The person sees the
reads on "who has looked at my record".
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from personfirst.core.accounts.invitations import InvitationBase


class Team(models.Model):
    """A council team (such as "Eastmere North adults' team"). People's
    records are allocated to a team; its members, while they hold a
    practitioner role over the team's area, read those records as routine.
    Membership is stored here, never inferred (decision 0010)."""

    council_area = models.ForeignKey("organisations.CouncilArea", on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="care_teams")

    class Meta:
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["council_area", "name"], name="people_team_unique_name")]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    # The fields holding what people typed about the person, or that
    # identify them: never copied into the change log (audit), and what a
    # personal-data declaration lists.
    PERSONAL_FIELDS = (
        "given_name",
        "family_name",
        "preferred_name",
        "date_of_birth",
        "email",
        "phone",
        "address",
        "what_matters",
    )

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    given_name = models.CharField("first name", max_length=100)
    family_name = models.CharField("last name", max_length=100)
    preferred_name = models.CharField("what they like to be called", max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    email = models.EmailField("e-mail address", blank=True)
    phone = models.CharField("phone number", max_length=40, blank=True)
    address = models.TextField(blank=True)
    what_matters = models.TextField("what matters to them", blank=True)
    council_area = models.ForeignKey(
        "organisations.CouncilArea",
        on_delete=models.PROTECT,
        related_name="people",
        help_text="Whose care team keeps the record.",
    )
    # The council team the record is allocated to. Until it is allocated,
    # every practitioner of the area reads it as routine (the duty team).
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="people")
    # The person's own account, once they sign in.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="own_record"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["family_name", "given_name", "id"]
        verbose_name = "person's record"
        verbose_name_plural = "people's records"

    def __str__(self) -> str:
        # Shown in the change log and the admin's messages: never the person's name.
        return f"Record {self.reference}"

    def get_absolute_url(self) -> str:
        return reverse("people:record", args=[self.pk])

    @property
    def reference(self) -> str:
        return str(self.id)[:8]

    @property
    def display_name(self) -> str:
        return self.preferred_name or self.given_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    def get_additional_data(self) -> dict:
        return {"person_id": str(self.pk)}


class SupporterKind(models.TextChoices):
    CARER = "carer", "Carer"
    FAMILY = "family", "Family member"
    ADVOCATE = "advocate", "Advocate"
    BROKER = "broker", "Broker"


class ConsentBy(models.TextChoices):
    PERSON = "person", "The person, themselves"
    PRACTITIONER = "practitioner", "A practitioner, on what the person said"


class ConsentHow(models.TextChoices):
    ONLINE = "online", "Online, on PersonFirst"
    IN_PERSON = "in_person", "In person"
    PHONE = "phone", "By phone"
    WRITING = "writing", "In writing"


class SupporterQuerySet(models.QuerySet["Supporter"]):
    def current(self, today=None) -> SupporterQuerySet:
        """Relationships in force: accepted, consented, not ended, not past their last day."""
        today = today or timezone.localdate()
        return self.filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=today),
            user__isnull=False,
            consent_given_at__isnull=False,
            ended_at__isnull=True,
        )

    def open(self, today=None) -> SupporterQuerySet:
        """Current ones, and those waiting for the supporter to accept."""
        today = today or timezone.localdate()
        return self.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today), ended_at__isnull=True)


class Supporter(models.Model):
    """Someone the person chose to support them, with their consent."""

    PERSONAL_FIELDS = ("name", "email", "consent_note")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="supporters")
    # Their account: empty until they accept the invitation sent to ``email``.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="supporting"
    )
    name = models.CharField("their name", max_length=200)
    email = models.EmailField("their e-mail address")
    kind = models.CharField(max_length=20, choices=SupporterKind.choices)
    # Every supporter sees the record; these say what more they may do.
    may_edit = models.BooleanField("may change the record with the person", default=False)
    may_act = models.BooleanField("may act on the person's behalf", default=False)
    consent_given_at = models.DateTimeField(null=True, blank=True)
    consent_by = models.CharField(max_length=20, choices=ConsentBy.choices)
    consent_how = models.CharField(max_length=20, choices=ConsentHow.choices)
    consent_note = models.TextField(blank=True)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    valid_until = models.DateField("last day", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = SupporterQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.person}"

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return (
            self.user_id is not None
            and self.consent_given_at is not None
            and self.ended_at is None
            and (self.valid_until is None or self.valid_until >= today)
        )

    @property
    def status(self) -> str:
        if self.ended_at is not None:
            return "ended"
        if self.valid_until is not None and self.valid_until < timezone.localdate():
            return "expired"
        if self.user_id is None:
            return "invited"
        return "current"

    def abilities(self) -> list[str]:
        words = ["see the record"]
        if self.may_edit:
            words.append("change it with you")
        if self.may_act:
            words.append("act on your behalf")
        return words

    def get_additional_data(self) -> dict:
        return {"person_id": str(self.person_id)}


class PersonInvitation(InvitationBase):
    """An invitation to sign in and see a record: the person's own (no
    supporter), or as one of their supporters."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="invitations")
    supporter = models.OneToOneField(
        Supporter, null=True, blank=True, on_delete=models.CASCADE, related_name="invitation"
    )

    class Meta(InvitationBase.Meta):
        pass

    def __str__(self) -> str:
        return f"Invitation to {self.person}"

    def get_additional_data(self) -> dict:
        return {"person_id": str(self.person_id)}


class ExceptionalAccess(models.Model):
    """Someone with a council role in the person's area, but not their
    practitioner, gave a reason to read the record: for an hour, every read
    is logged with it, as not routine."""

    DURATION = timedelta(hours=1)

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="exceptional_access")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField()
    started_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["person", "user", "ends_at"], name="people_access_person_user")]

    def __str__(self) -> str:
        return f"Access with a reason to {self.person}"


class RecordRead(models.Model):
    """One read of a person's record."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    what = models.CharField(max_length=100, help_text="What was read, such as 'the record' or 'supporters'.")
    # Why the reader could read it: the person, carer, practitioner... or "with a reason".
    as_role = models.CharField(max_length=100)
    routine = models.BooleanField(default=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["person", "-at"], name="people_read_person_at")]

    def __str__(self) -> str:
        return f"Read of {self.person}"
