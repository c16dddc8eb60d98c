"""The directory, after the Open Referral UK 3.0 data model (UUID ids).

What is in these tables is published: the public search, the service pages
and the Open Referral UK API read them. A provider's new or changed entry
waits as a ``Submission`` (its whole content as an ``entry``, entries.py)
until a moderator publishes it; publishing writes it here through the same
code as an import (publishing.py).

A few fields are facts worked out from the rest when an entry is written,
so that search can filter on one row: ``lowest_price``, ``personal_budget``
and ``theme_bits``.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from .vocabulary import THEME_BITS, Theme, Unit


class Taxonomy(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    uri = models.URLField(max_length=500, blank=True)
    version = models.CharField(max_length=50, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "taxonomies"

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    taxonomy = models.ForeignKey(Taxonomy, null=True, blank=True, on_delete=models.CASCADE, related_name="terms")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    code = models.CharField(max_length=100, blank=True, help_text="The term's code in its taxonomy")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children")
    term_uri = models.URLField(max_length=500, blank=True)
    # A council maps a term of a national taxonomy to one of our themes, so
    # that services it describes are found under that theme.
    theme = models.CharField(max_length=32, choices=Theme.choices, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Provider(models.Model):
    """An organisation that provides services, as the directory lists it
    (Open Referral UK's "organization"). Linked to a PersonFirst organisation
    when it has one; an imported feed's organisations may have none."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    organisation = models.OneToOneField(
        "organisations.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="provider"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(max_length=500, blank=True)
    uri = models.URLField(max_length=500, blank=True)
    last_modified = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_additional_data(self) -> dict:
        return {"organisation_id": self.organisation_id} if self.organisation_id else {}


class ServiceStatus(models.TextChoices):
    ACTIVE = "active", "Running"
    INACTIVE = "inactive", "Not running at the moment"
    DEFUNCT = "defunct", "Closed for good"
    TEMPORARILY_CLOSED = "temporarily closed", "Closed for now"


class ServiceQuerySet(models.QuerySet["Service"]):
    def listed(self) -> ServiceQuerySet:
        """What the public search shows: running services."""
        return self.filter(status=ServiceStatus.ACTIVE)


class Service(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="services")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    outcomes = models.TextField(
        blank=True, help_text="What the service helps people achieve, in their own words ('see my friends')"
    )
    url = models.URLField(max_length=500, blank=True)
    email = models.EmailField(blank=True)
    status = models.CharField(max_length=20, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE)
    accreditations = models.TextField(blank=True)
    minimum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(null=True, blank=True)
    alert = models.TextField(blank=True)
    # When the entry was last confirmed as right (Open Referral's assured_date), and by whom.
    assured_date = models.DateField(null=True, blank=True)
    assurer_email = models.EmailField(blank=True)
    last_modified = models.DateTimeField(default=timezone.now)
    # Placeholders until the quality-assured provider scheme and the personal
    # assistants' register exist (later issues): search can already filter on them.
    accredited = models.BooleanField(default=False)
    personal_assistant = models.BooleanField(default=False)
    # Worked out from the rest when the entry is written (publishing.py).
    lowest_price = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    personal_budget = models.BooleanField(default=False)
    theme_bits = models.PositiveIntegerField(default=0)
    # Staleness (staleness.py): when the provider, then the moderators, were told.
    stale_flagged_at = models.DateTimeField(null=True, blank=True)
    stale_escalated_at = models.DateTimeField(null=True, blank=True)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["provider", "name"]),
            models.Index(fields=["assured_date"]),
            models.Index(fields=["last_modified"]),
            # The Open Referral UK API's pages: running services by name.
            models.Index(fields=["status", "name", "id"], name="service_listing"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(lowest_price__isnull=True) | Q(lowest_price__gte=0), name="service_price_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("search:service", args=[self.pk])

    def get_additional_data(self) -> dict:
        return {"organisation_id": self.provider.organisation_id} if self.provider_id else {}

    @property
    def themes(self) -> list[str]:
        return [code for code, bit in THEME_BITS.items() if self.theme_bits & bit]

    def theme_labels(self) -> list[str]:
        labels = dict(Theme.choices)
        return [labels[code] for code in self.themes]


class CostOption(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="cost_options")
    option = models.CharField(max_length=200, blank=True, help_text="What this price is for, or who it applies to")
    amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    unit = models.CharField(max_length=10, choices=Unit.choices, blank=True)
    amount_description = models.CharField(max_length=300, blank=True)
    personal_budget = models.BooleanField(
        default=False, help_text="A personal budget or a direct payment can pay for it"
    )
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["service", "position", "amount"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__isnull=True) | Q(amount__gte=0), name="cost_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.option or 'Price'}: {self.amount}"

    def get_additional_data(self) -> dict:
        return self.service.get_additional_data()


class LocationType(models.TextChoices):
    PHYSICAL = "physical", "A place people visit"
    POSTAL = "postal", "A postal address"
    VIRTUAL = "virtual", "Online or by phone"


class Location(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    location_type = models.CharField(max_length=10, choices=LocationType.choices, default=LocationType.PHYSICAL)
    name = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    # British National Grid, metres: from the postcode (postcodes.py).
    easting = models.IntegerField(null=True, blank=True)
    northing = models.IntegerField(null=True, blank=True)
    external_identifier = models.CharField(max_length=100, blank=True)
    external_identifier_type = models.CharField(max_length=50, blank=True)

    class Meta:
        indexes = [models.Index(fields=["easting", "northing"])]

    def __str__(self) -> str:
        return self.name or str(self.pk)


class Address(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="addresses")
    attention = models.CharField(max_length=200, blank=True)
    address_1 = models.CharField(max_length=200)
    address_2 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100)
    region = models.CharField(max_length=100, blank=True)
    state_province = models.CharField(max_length=100, blank=True)
    postal_code = models.CharField(max_length=12)
    country = models.CharField(max_length=2, default="GB")
    address_type = models.CharField(max_length=10, choices=LocationType.choices, default=LocationType.PHYSICAL)

    def __str__(self) -> str:
        return ", ".join(part for part in (self.address_1, self.address_2, self.city, self.postal_code) if part)


class Accessibility(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="accessibility")
    description = models.TextField(blank=True)
    details = models.TextField(blank=True)
    url = models.URLField(max_length=500, blank=True)

    class Meta:
        verbose_name_plural = "accessibility"

    def __str__(self) -> str:
        return self.description[:60] or str(self.pk)


class ServiceAtLocation(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_at_locations")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="service_at_locations")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["service", "position"]
        constraints = [models.UniqueConstraint(fields=["service", "location"], name="one_link_per_place")]

    def __str__(self) -> str:
        return f"{self.service_id} at {self.location_id}"


class AreaKind(models.TextChoices):
    LOCAL_AUTHORITY = "local_authority", "A council area"
    POSTCODE_DISTRICT = "postcode_district", "A postcode district"
    POSTCODE_SECTOR = "postcode_sector", "A postcode sector"
    COUNTRY = "country", "The whole country"
    DESCRIBED = "described", "Described in words"


# The ONS statistical geography of England, for "the whole country".
ENGLAND = "E92000001"
ONS_GEOGRAPHY = "http://statistics.data.gov.uk/id/statistical-geography/"


class ServiceArea(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_areas")
    name = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=20, choices=AreaKind.choices, default=AreaKind.DESCRIBED)
    # An ONS code (E06000001, E92000001), a postcode district (NR1) or sector (NR1 3).
    code = models.CharField(max_length=12, blank=True)
    extent = models.TextField(blank=True)
    extent_type = models.CharField(max_length=20, blank=True)
    uri = models.CharField(max_length=500, blank=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "code"])]

    def __str__(self) -> str:
        return self.name or self.code


class Schedule(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="schedules")
    freq = models.CharField(max_length=10, blank=True, help_text="WEEKLY or MONTHLY")
    interval = models.PositiveSmallIntegerField(null=True, blank=True)
    byday = models.CharField(max_length=40, blank=True, help_text="Days, such as MO,WE,FR")
    bymonthday = models.CharField(max_length=40, blank=True)
    opens_at = models.TimeField(null=True, blank=True)
    closes_at = models.TimeField(null=True, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    dtstart = models.DateField(null=True, blank=True)
    description = models.TextField(blank=True)
    attending_type = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["service", "position"]

    def __str__(self) -> str:
        return self.byday or self.description[:60] or str(self.pk)


class Contact(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["service", "position"]

    def __str__(self) -> str:
        return self.name or str(self.pk)


class Phone(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(max_length=40)
    description = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return self.number


class Language(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="languages")
    name = models.CharField(max_length=100)
    code = models.CharField(max_length=10, blank=True, help_text="ISO 639 code, such as cy for Welsh")
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["service", "name"]

    def __str__(self) -> str:
        return self.name


class Attribute(models.Model):
    """A taxonomy term that describes a service (a theme, who it is for, a national category)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="attributes")
    term = models.ForeignKey(TaxonomyTerm, on_delete=models.CASCADE, related_name="attributes")
    link_type = models.CharField(max_length=50, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["service", "term"], name="one_attribute_per_term")]
        indexes = [models.Index(fields=["term", "service"])]

    # --- Moderation ------------------------------------------------------------------

    def __str__(self) -> str:
        return f"{self.service_id}: {self.term_id}"


class SubmissionStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a decision"
    NEEDS_INFORMATION = "needs_information", "More information needed"
    PUBLISHED = "published", "Published"
    REJECTED = "rejected", "Not published"


OPEN_STATUSES = (SubmissionStatus.PENDING, SubmissionStatus.NEEDS_INFORMATION)


class SubmissionQuerySet(models.QuerySet["Submission"]):
    def open(self) -> SubmissionQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def queue(self) -> SubmissionQuerySet:
        """The moderators' queue: waiting for a decision, the longest overdue first."""
        return self.filter(status=SubmissionStatus.PENDING).order_by("due_on", "submitted_at")


class Submission(models.Model):
    """A new or changed entry, waiting for a moderator (or decided)."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="submissions")
    service_id = models.UUIDField(help_text="The service this entry creates or changes")
    is_new = models.BooleanField(default=True)
    entry = models.JSONField(help_text="The whole entry, as entries.py describes it")
    status = models.CharField(max_length=20, choices=SubmissionStatus.choices, default=SubmissionStatus.PENDING)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    due_on = models.DateField(help_text="A decision is due by the end of this day (five working days)")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reasons = models.TextField(blank=True, help_text="Why it was not published, or what more is needed")

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["status", "due_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["service_id"],
                condition=Q(status__in=["pending", "needs_information"]),
                name="one_open_submission_per_service",
            )
        ]

    def __str__(self) -> str:
        return f"{self.entry.get('name', 'Entry')} ({self.get_status_display().lower()})"

    def get_additional_data(self) -> dict:
        return {"organisation_id": self.provider.organisation_id}

    @property
    def name(self) -> str:
        return self.entry.get("name", "")

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return self.status == SubmissionStatus.PENDING and (today or timezone.localdate()) > self.due_on


class Decision(models.Model):
    """Each moderator's decision, kept for the provider and the record."""

    class Outcome(models.TextChoices):
        PUBLISHED = "published", "Published"
        REJECTED = "rejected", "Not published"
        NEEDS_INFORMATION = "needs_information", "Asked for more information"

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="decisions")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    reasons = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)
    due_on = models.DateField()
    on_time = models.BooleanField()

    class Meta:
        ordering = ["-decided_at"]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} ({self.decided_at:%Y-%m-%d})"

    def get_additional_data(self) -> dict:
        return self.submission.get_additional_data()


# --- Postcodes -------------------------------------------------------------------


class Postcode(models.Model):
    """One postcode of the ONS postcode directory (postcodes.py loads them)."""

    code = models.CharField(max_length=8, primary_key=True, help_text="Without spaces: NR13QU")
    easting = models.IntegerField(null=True)
    northing = models.IntegerField(null=True)
    la_code = models.CharField(max_length=9, blank=True)

    def __str__(self) -> str:
        return self.code


class PostcodeDataset(models.Model):
    """Which release of the postcode package is loaded."""

    version = models.CharField(max_length=40)
    count = models.PositiveIntegerField()
    loaded_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Postcodes {self.version}"
