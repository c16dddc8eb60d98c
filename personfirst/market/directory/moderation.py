"""Moderation: a provider submits a new or changed entry; a moderator
publishes it, rejects it with reasons, or asks for more information.

A decision is due within five working days of the entry arriving
(working_days.py); asking for more information stops the clock, and the
provider's answer starts it again. Each step is checked and written under
a row lock, so two moderators deciding at once cannot both win: the second
is told what the first decided (``Conflict``). Each decision is kept as a
``Decision`` and in the audit trail.
"""

from __future__ import annotations

import uuid

from auditlog.context import set_actor
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import entries, publishing, working_days
from .models import Decision, Provider, Service, Submission, SubmissionStatus


class Conflict(Exception):
    """The submission is not in a state where this can be done (any more)."""

    def __init__(self, submission: Submission, message: str) -> None:
        super().__init__(message)
        self.submission = submission


class NotAllowed(Exception):
    pass


def published_entry(service_id) -> dict | None:
    service = (
        Service.objects.filter(pk=service_id)
        .prefetch_related(
            "cost_options",
            "service_at_locations__location__addresses",
            "service_at_locations__location__accessibility",
            "service_areas",
            "schedules",
            "contacts__phones",
            "languages",
            "attributes",
        )
        .first()
    )
    return entries.of_service(service) if service else None


def open_submission(service_id) -> Submission | None:
    return Submission.objects.open().filter(service_id=service_id).first()


def submit(provider: Provider, entry: dict, *, by) -> Submission:
    """A new or changed entry goes to the queue (or replaces the waiting one)."""
    service_id = uuid.UUID(entry["id"])
    today = timezone.localdate()
    with transaction.atomic():
        waiting = Submission.objects.select_for_update().filter(service_id=service_id).open().first()
        # Read after the lock: a moderator who published this entry a moment ago has made it not new.
        is_new = not Service.objects.filter(pk=service_id).exists()
        if not is_new and not Service.objects.filter(pk=service_id, provider=provider).exists():
            raise NotAllowed("That service belongs to another provider.")
        if waiting is not None:
            if waiting.provider_id != provider.pk:
                raise NotAllowed("That entry belongs to another provider.")
            waiting.entry = entry
            waiting.submitted_by = by
            waiting.submitted_at = timezone.now()
            if waiting.status == SubmissionStatus.NEEDS_INFORMATION:
                # The answer to a moderator's question: the clock starts again.
                waiting.status = SubmissionStatus.PENDING
                waiting.due_on = working_days.due_on(today)
            waiting.save()
            return waiting
        try:
            with transaction.atomic():
                return Submission.objects.create(
                    provider=provider,
                    service_id=service_id,
                    is_new=is_new,
                    entry=entry,
                    submitted_by=by,
                    due_on=working_days.due_on(today),
                )
        except IntegrityError:
            # Another request opened one at the same moment: take that one.
            raise Conflict(
                open_submission(service_id), "This entry was sent a moment ago. Check it and try again."
            ) from None


def _decide(submission_id: int, outcome: str, *, by, reasons: str = "") -> Submission:
    # The audit trail names the moderator, in a request or not (a command, a test).
    with set_actor(by), transaction.atomic():
        submission = Submission.objects.select_for_update().select_related("provider").get(pk=submission_id)
        if submission.status != SubmissionStatus.PENDING:
            raise Conflict(
                submission, f"This entry has already been dealt with: {submission.get_status_display().lower()}."
            )
        today = timezone.localdate()
        if outcome == Decision.Outcome.PUBLISHED:
            publishing.write([publishing.Item(submission.entry, submission.provider_id)], assured_on=today)
            submission.status = SubmissionStatus.PUBLISHED
        elif outcome == Decision.Outcome.REJECTED:
            submission.status = SubmissionStatus.REJECTED
        else:
            submission.status = SubmissionStatus.NEEDS_INFORMATION
        submission.decided_by = by
        submission.decided_at = timezone.now()
        submission.reasons = reasons
        submission.save()
        Decision.objects.create(
            submission=submission,
            outcome=outcome,
            reasons=reasons,
            decided_by=by,
            due_on=submission.due_on,
            on_time=today <= submission.due_on,
        )
        return submission


def publish(submission: Submission, *, by) -> Submission:
    return _decide(submission.pk, Decision.Outcome.PUBLISHED, by=by)


def reject(submission: Submission, *, by, reasons: str) -> Submission:
    if not reasons.strip():
        raise ValueError("Say why the entry is not published")
    return _decide(submission.pk, Decision.Outcome.REJECTED, by=by, reasons=reasons.strip())


def ask_for_information(submission: Submission, *, by, question: str) -> Submission:
    if not question.strip():
        raise ValueError("Say what more information you need")
    return _decide(submission.pk, Decision.Outcome.NEEDS_INFORMATION, by=by, reasons=question.strip())


def changes(submission: Submission) -> list[entries.Change]:
    """Field by field, what publishing this would change."""
    before = None if submission.is_new else published_entry(submission.service_id)
    return entries.differences(before, submission.entry)
