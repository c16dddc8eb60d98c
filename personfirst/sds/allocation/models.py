"""RAS versions as loaded, and every indicative budget with the RAS version
that made it and its whole explanation, kept as it was shown."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from . import ras as ras_rules
from . import ras_file


class RasStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    IN_FORCE = "in-force", "In force"


class RasVersion(models.Model):
    """One version of one council's RAS. Loaded or uploaded as a draft; a
    council administrator publishes it with the date it takes effect. A
    published version never changes (its file, its date); a draft may be
    replaced by uploading the same version again."""

    council_area = models.ForeignKey("organisations.CouncilArea", on_delete=models.PROTECT, related_name="ras_versions")
    key = models.CharField(max_length=80)
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    effective_from = models.DateField()
    # The definition file as loaded: the RAS is read from it, so what made a
    # budget can always be shown again.
    source = models.TextField()
    loaded_at = models.DateTimeField(default=timezone.now)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # None while a draft.
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["key", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["council_area", "key", "version"], name="allocation_ras_area_key_version")
        ]

    def __str__(self) -> str:
        return f"{self.title}, version {self.version}"

    @property
    def is_draft(self) -> bool:
        return self.published_at is None

    def status(self, in_force_pk: int | None) -> str:
        """Draft, published, or in force (``in_force_pk``: the council's version in force today)."""
        if self.published_at is None:
            return RasStatus.DRAFT
        return RasStatus.IN_FORCE if self.pk == in_force_pk else RasStatus.PUBLISHED

    def ras(self) -> ras_rules.Ras:
        cached = getattr(self, "_ras", None)
        if cached is None:
            cached = self._ras = ras_file.parse(self.source, f"{self.key}-{self.version}")
        return cached


class IndicativeBudget(models.Model):
    self_assessment = models.ForeignKey(
        "selfassessment.SelfAssessment", on_delete=models.CASCADE, related_name="budgets"
    )
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="indicative_budgets")
    ras_version = models.ForeignKey(RasVersion, on_delete=models.PROTECT, related_name="budgets")
    points = models.PositiveIntegerField()
    weekly = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    yearly = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    to_panel = models.BooleanField(default=False)
    # The explanation as shown: domains, steps and what moved the amount (amounts as text, exact).
    breakdown = models.JSONField(default=dict)
    made_at = models.DateTimeField(default=timezone.now)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-made_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(to_panel=True, weekly__isnull=True)
                | models.Q(to_panel=False, weekly__isnull=False, weekly__gte=0),
                name="allocation_budget_figure_or_panel",
            )
        ]

    def __str__(self) -> str:
        return f"Indicative budget {self.pk} of {self.person}"

    def get_additional_data(self) -> dict:
        return {"person_id": str(self.person_id)}
