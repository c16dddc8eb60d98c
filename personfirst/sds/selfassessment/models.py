"""Supported self-assessments: a person's answers to the questionnaire
(questionnaire.py), given by them and the supporters they let change their
record, then reviewed by their practitioner.

Every answer given is a row (``AnswerChange``), never overwritten: the
current answer to a question is its latest row, and the person sees every
change with who made it, and the practitioner's reason for any change they
made at review.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from . import questionnaire as questionnaires


class Status(models.TextChoices):
    DRAFT = "draft", "Being filled in"
    SUBMITTED = "submitted", "Sent to the council"
    AGREED = "agreed", "Agreed"


class SelfAssessment(models.Model):
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="self_assessments")
    questionnaire_key = models.CharField(max_length=80)
    questionnaire_version = models.PositiveIntegerField()
    # The carer's part is asked when the person has a carer.
    carer_present = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # Goes up with every answer given: the practitioner agrees to what they saw.
    revision = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agreed_at = models.DateTimeField(null=True, blank=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Self-assessment {self.pk} of {self.person}"

    @property
    def questionnaire(self) -> questionnaires.Questionnaire:
        return questionnaires.shipped(self.questionnaire_key, self.questionnaire_version)

    def questions(self) -> list[questionnaires.QuestionDef]:
        return self.questionnaire.questions(self.carer_present)

    def current_answers(self) -> dict[str, AnswerChange]:
        """Each question's latest answer."""
        latest: dict[str, AnswerChange] = {}
        for change in self.changes.select_related("by").order_by("at", "pk"):
            latest[change.question] = change
        return latest

    def get_additional_data(self) -> dict:
        return {"person_id": str(self.person_id)}


class AnswerChange(models.Model):
    PERSONAL_FIELDS = ("reason",)

    self_assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="changes")
    question = models.CharField(max_length=80)
    answer = models.CharField(max_length=80)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # Who they were to the person when they gave it: "the person", "carer", "practitioner".
    as_role = models.CharField(max_length=100)
    # A practitioner's change at review says why; the person sees it.
    reason = models.TextField(blank=True)
    at_review = models.BooleanField(default=False)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["self_assessment", "question"], name="selfassess_change_question")]

    def __str__(self) -> str:
        return f"Answer to {self.question}"

    def get_additional_data(self) -> dict:
        return {"person_id": str(self.self_assessment.person_id)}
