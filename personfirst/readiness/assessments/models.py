"""Readiness instruments (loaded from definition files) and assessments.

An Instrument has numbered InstrumentVersions; each version's Sections and
Items are rows, so that answers and area figures can refer to them. An
Assessment keeps the version it was started with. Answers with no
respondent are the agreed answers, which the scores use; answers with a
respondent are that person's own view (co-production).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import cached_property

from personfirst.core.definitions.items import ItemDefinition, ItemType, Option, Response, item_type

from . import milestones, paired  # noqa: F401 (registers the milestones and paired item types)


class Instrument(models.Model):
    key = models.SlugField(max_length=60, unique=True)
    title = models.CharField(max_length=200)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def latest_version(self) -> InstrumentVersion | None:
        return self.versions.order_by("-revision").first()


class InstrumentVersion(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="versions")
    revision = models.PositiveIntegerField(help_text="1 for the first file loaded, then 2, 3, …")
    label = models.CharField("version", max_length=40, help_text="The version the file's author gave it")
    title = models.CharField(max_length=200)
    publisher = models.CharField(max_length=200, blank=True)
    licence = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    content_hash = models.CharField(max_length=64)
    source_name = models.CharField(max_length=200, blank=True)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["instrument__title", "-revision"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "revision"], name="one_revision_number"),
            models.UniqueConstraint(fields=["instrument", "content_hash"], name="one_version_per_content"),
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.label}, revision {self.revision})"


class Section(models.Model):
    version = models.ForeignKey(InstrumentVersion, on_delete=models.CASCADE, related_name="sections")
    key = models.SlugField(max_length=80)
    title = models.CharField(max_length=200)
    guidance = models.TextField(blank=True)
    condition = models.JSONField(null=True, blank=True)
    weight = models.DecimalField(
        max_digits=7, decimal_places=3, default=1, help_text="Its share of the overall score (docs/scoring.md)"
    )
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="unique_section_key")]

    def __str__(self) -> str:
        return self.title


class Item(models.Model):
    version = models.ForeignKey(InstrumentVersion, on_delete=models.CASCADE, related_name="items")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="items")
    key = models.SlugField(max_length=80)
    # An item type of the registry (personfirst.core.definitions.items): ladder, rating, milestones, …
    type = models.CharField(max_length=40)
    prompt = models.TextField()
    guidance = models.TextField(blank=True)
    levels = models.JSONField(default=list, blank=True, help_text="ladder/milestones: statements, lowest first")
    options = models.JSONField(default=list, blank=True, help_text="rating: [{key, label, score}], as listed")
    comments = models.BooleanField(default=False)
    settings = models.JSONField(default=dict, blank=True, help_text="What else the item's type reads from its file")
    condition = models.JSONField(null=True, blank=True, help_text="Who the item is for (conditions.py); empty: all")
    offers_not_relevant = models.BooleanField(default=True, help_text="Offers ‘Not relevant to us’")
    offers_dont_know = models.BooleanField(default=False, help_text="Offers ‘Don’t know’")
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["section__position", "position"]
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="unique_item_key")]

    def __str__(self) -> str:
        return self.key

    @cached_property
    def definition(self) -> ItemDefinition:
        """The item as its definition file gave it: what its type's class works on."""
        return ItemDefinition(
            key=self.key,
            type=self.type,
            prompt=self.prompt,
            guidance=self.guidance,
            levels=tuple(self.levels),
            options=tuple(Option(o["key"], o["label"], o["score"]) for o in self.options),
            comments=self.comments,
            settings=self.settings or {},
            condition=self.condition,
            not_relevant=self.offers_not_relevant,
            dont_know=self.offers_dont_know,
        )

    @property
    def kind(self) -> ItemType:
        """The item's type (its class in the registry)."""
        return item_type(self.type)


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "In progress"
    SUBMITTED = "submitted", "Submitted"


class Assessment(models.Model):
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="assessments")
    version = models.ForeignKey(InstrumentVersion, on_delete=models.PROTECT, related_name="assessments")
    status = models.CharField(max_length=10, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Frozen at submission: [{"key", "title", "reason"}] for sections whose
    # condition the organisation's profile did not meet.
    left_out = models.JSONField(default=list, blank=True)
    # The language its pages show the instrument's text in ("en", or "cy"
    # when the instrument has a Welsh version): readiness/assessments/languages.py.
    language = models.CharField(max_length=8, default="en")

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["organisation", "status", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.version.title} for {self.organisation}"

    def get_absolute_url(self) -> str:
        return reverse("readiness:assessment", args=[self.organisation.slug, self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == AssessmentStatus.DRAFT

    def get_additional_data(self) -> dict:
        return {"organisation_id": self.organisation_id}


class Perspective(models.TextChoices):
    STAFF = "staff", "Staff"
    MANAGER = "manager", "Manager"
    TRUSTEE = "trustee", "Trustee"
    VOLUNTEER = "volunteer", "Volunteer"
    PERSON_USING_SERVICES = "person", "Person who uses our services"
    CARER = "carer", "Carer or family member"
    DEVELOPMENT_WORKER = "worker", "Development worker"


class Respondent(models.Model):
    """Someone asked to answer an assessment on their own (co-production)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="respondents")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    perspective = models.CharField(max_length=12, choices=Perspective.choices)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at"]
        constraints = [models.UniqueConstraint(fields=["assessment", "user"], name="one_respondent_per_person")]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_perspective_display()})"

    def get_additional_data(self) -> dict:
        return {"organisation_id": self.assessment.organisation_id}


class AnswerQuerySet(models.QuerySet):
    def that_count(self) -> AnswerQuerySet:
        """The answers that count (docs/scoring.md, "Which answers count"):
        agreed answers (no respondent) that a person has given or confirmed.
        A suggestion nobody has confirmed yet (answer once) does not count.
        Scores, results, history, caseload, plans, reports, the API and
        insight all read answers through this (services.answers_that_count)."""
        return self.filter(respondent__isnull=True, suggested=False)


class Answer(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="answers")
    respondent = models.ForeignKey(
        Respondent,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="answers",
        help_text="Empty for the agreed answer, which is what the scores use.",
    )
    level = models.PositiveSmallIntegerField(null=True, blank=True, help_text="ladder/milestones: 1-based level")
    option = models.CharField(max_length=40, blank=True, help_text="rating: the chosen option's key")
    not_relevant = models.BooleanField(default=False)
    dont_know = models.BooleanField(default=False, help_text="Answered ‘Don’t know’: recorded, never scored")
    text = models.CharField(max_length=1000, blank=True, help_text="context: a written answer")
    notes = models.TextField(blank=True)
    target_dates = models.JSONField(default=dict, blank=True, help_text="milestones: {level: 'YYYY-MM-DD'}")
    we_option = models.CharField(
        max_length=40, blank=True, help_text="paired: the organisation's own rating (option holds what people say)"
    )
    evidence = models.TextField(blank=True, help_text="Items that ask for evidence: what shows the answer is right")
    achieved_on = models.DateField(null=True, blank=True, help_text="Items that ask for evidence: top level reached on")
    revision = models.PositiveIntegerField(default=1, help_text="Goes up by one with every save")
    suggested = models.BooleanField(default=False, help_text="Pre-filled, not yet confirmed by a person")
    suggested_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The answer, in another of the organisation's assessments, that this one was suggested from",
    )
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    objects = AnswerQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "item"], condition=Q(respondent__isnull=True), name="one_agreed_answer"
            ),
            models.UniqueConstraint(
                fields=["assessment", "item", "respondent"],
                condition=Q(respondent__isnull=False),
                name="one_answer_per_respondent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.key}: {self.display()}"

    @property
    def is_answered(self) -> bool:
        return self.not_relevant or self.dont_know or self.level is not None or bool(self.option) or bool(self.text)

    @property
    def counts(self) -> bool:
        """Answered, and not a suggestion still waiting to be confirmed: only
        these count towards progress, scores and the action plan."""
        return self.is_answered and not self.suggested

    @property
    def response(self) -> Response:
        """The answer as scoring and scales see it."""
        return Response(
            level=self.level,
            option=self.option or None,
            not_relevant=self.not_relevant,
            dont_know=self.dont_know,
            text=self.text,
        )

    def display(self) -> str:
        return self.item.kind.display(self.item.definition, self.response)

    @property
    def stored(self) -> dict:
        """The answer's fields, as item types describe them (ItemType.describe)."""
        return {
            "level": self.level,
            "option": self.option,
            "not_relevant": self.not_relevant,
            "notes": self.notes,
            "target_dates": self.target_dates,
            "we_option": self.we_option,
            "evidence": self.evidence,
            "achieved_on": self.achieved_on,
        }

    def describe(self) -> list[str]:
        """Every line about the answer beyond its choice (ItemType.describe)."""
        return self.item.kind.describe(self.item.definition, self.stored)

    @property
    def gap(self):
        """paired: the organisation's score minus the people's (a Fraction), else None."""
        kind = self.item.kind
        if self.not_relevant or not hasattr(kind, "gap"):
            return None
        return kind.gap(self.item.definition, self.option, self.we_option)

    def get_additional_data(self) -> dict:
        return {"organisation_id": self.assessment.organisation_id}


class CrosswalkLink(models.Model):
    """Items of different instruments that ask about the same thing
    (readiness/instruments/crosswalk.yaml, loaded by load_instruments). Items
    are named by key, not by version, so a link holds for every version that
    keeps the key."""

    theme = models.CharField(max_length=200)
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.theme


class CrosswalkItem(models.Model):
    link = models.ForeignKey(CrosswalkLink, on_delete=models.CASCADE, related_name="items")
    instrument_key = models.CharField(max_length=60)
    item_key = models.CharField(max_length=80)
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["link__position", "position"]
        constraints = [
            models.UniqueConstraint(fields=["instrument_key", "item_key"], name="crosswalk_item_in_one_link")
        ]

    def __str__(self) -> str:
        return f"{self.instrument_key}/{self.item_key}"


class InstrumentTranslation(models.Model):
    """An instrument version's text in another language (a Welsh version,
    KEY.cy.yaml beside the English file), with the same sections, items and
    options: readiness/assessments/languages.py. ``text`` holds the
    translated words by key: {"title", "description", "sections": {key:
    {"title", "guidance"}}, "items": {key: {"prompt", "guidance", "levels",
    "options": {key: label}, "settings": {...}}}}."""

    version = models.ForeignKey(InstrumentVersion, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(max_length=8)
    text = models.JSONField(default=dict)
    content_hash = models.CharField(max_length=64)
    source_name = models.CharField(max_length=200, blank=True)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "language"], name="one_translation_per_language")]

    def __str__(self) -> str:
        return f"{self.version} ({self.language})"
