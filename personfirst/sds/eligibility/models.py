"""Eligibility decisions: the screen a practitioner recorded on the national
criteria, the decision it gives (criteria.py) and the practitioner's own
reasons, kept with the person's record for them to see."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from . import criteria


class Kind(models.TextChoices):
    ADULT = criteria.ADULT, "The person's own needs"
    CARER = criteria.CARER, "Their carer's needs"


class EligibilityDecision(models.Model):
    PERSONAL_FIELDS = ("notes",)

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="eligibility_decisions")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # For a carer's screen: which of the person's supporters it is about.
    carer = models.ForeignKey(
        "people.Supporter", null=True, blank=True, on_delete=models.SET_NULL, related_name="eligibility_decisions"
    )
    condition = models.BooleanField()
    unable = models.JSONField(default=list)  # outcome keys (criteria.py)
    health_at_risk = models.BooleanField(default=False)
    wellbeing = models.BooleanField()
    eligible = models.BooleanField()
    notes = models.TextField(help_text="The practitioner's reasons, in plain English, for the person.")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_at", "-pk"]

    def __str__(self) -> str:
        return f"Eligibility decision {self.pk} for {self.person}"

    def screen(self) -> criteria.Screen:
        return criteria.Screen(
            self.kind, self.condition, frozenset(self.unable), self.wellbeing, health_at_risk=self.health_at_risk
        )

    def decision(self) -> criteria.Decision:
        return criteria.decide(self.screen())

    def outcomes(self) -> list[tuple[str, bool]]:
        """Each outcome of the criteria, and whether the person can manage it."""
        return [(label, key not in self.unable) for key, label in criteria.OUTCOMES[self.kind]]

    def get_additional_data(self) -> dict:
        return {"person_id": str(self.person_id)}
