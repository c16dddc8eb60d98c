"""Action plans: what an organisation will do to close the gaps its
assessments show, who owns each action, by when, and how it is going."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class ActionStatus(models.TextChoices):
    SUGGESTED = "suggested", "Suggested"
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


OPEN_STATUSES = (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS)


class ActionSource(models.TextChoices):
    LIBRARY = "library", "Suggested from the action library"
    TARGET_DATE = "target_date", "A target date you set"
    OWN = "own", "Added by your organisation"


class ActionQuerySet(models.QuerySet["Action"]):
    def in_plan(self) -> ActionQuerySet:
        """Accepted actions (not suggestions still waiting for a decision)."""
        return self.exclude(status=ActionStatus.SUGGESTED)

    def open(self) -> ActionQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today: datetime.date | None = None) -> ActionQuerySet:
        today = today or timezone.localdate()
        return self.open().filter(due_date__lt=today)


class Action(models.Model):
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="actions")
    assessment = models.ForeignKey(
        "readiness.Assessment", null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    instrument_key = models.CharField(max_length=60, blank=True)
    item_key = models.CharField(max_length=80, blank=True)
    library_key = models.CharField(max_length=80, blank=True)
    source = models.CharField(max_length=12, choices=ActionSource.choices, default=ActionSource.OWN)
    title = models.CharField("what", max_length=200)
    why = models.TextField(blank=True, help_text="The item and the gap this action closes")
    detail = models.TextField(blank=True)
    owner = models.CharField(max_length=120, blank=True, help_text="Who will make sure it happens")
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED)
    position = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["organisation", "status", "due_date"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plans:action", args=[self.organisation.slug, self.pk])

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status in OPEN_STATUSES and self.due_date is not None and self.due_date < today

    def get_additional_data(self) -> dict:
        return {"organisation_id": self.organisation_id}


class ProgressNote(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField()
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["written_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]

    def get_additional_data(self) -> dict:
        return {"organisation_id": self.action.organisation_id}


class Target(models.Model):
    """The level an organisation aims for on one item. Without one, the
    target is one level above its agreed answer."""

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="targets")
    instrument_key = models.CharField(max_length=60)
    item_key = models.CharField(max_length=80)
    level = models.PositiveSmallIntegerField(help_text="A position on the item's scale, 1-based")
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "instrument_key", "item_key"], name="one_target_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.instrument_key}/{self.item_key} → {self.level}"

    def get_additional_data(self) -> dict:
        return {"organisation_id": self.organisation_id}


class Suggestion(models.Model):
    """One entry of an action library (<instrument>.actions.yaml), loaded
    with the instrument version it belongs to."""

    version = models.ForeignKey("readiness.InstrumentVersion", on_delete=models.CASCADE, related_name="suggestions")
    item_key = models.CharField(max_length=80)
    key = models.CharField(max_length=80)
    title = models.CharField(max_length=200)
    detail = models.TextField(blank=True)
    applies_to = models.JSONField(
        default=list, blank=True, help_text="Levels (ints) or option keys; empty: whenever the item is below target"
    )
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["version", "item_key", "key"], name="unique_suggestion_key")]

    def __str__(self) -> str:
        return self.title

    def applies(self, chosen) -> bool:
        return not self.applies_to or chosen in self.applies_to
