"""The weekly e-mail to organisation administrators about their action
plan: what is overdue and what is due in the next seven days.

Plain Python with no HTTP: ``collect`` chooses who gets what, ``render``
writes one message, ``send`` sends them. ``manage.py send_action_digests``
runs the three.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse

from personfirst.core.access.models import RoleGrant, RoleName
from personfirst.core.organisations.models import Organisation

from .models import OPEN_STATUSES, Action

DAYS_AHEAD = 7


@dataclass
class Digest:
    organisation: Organisation
    overdue: list[Action]
    upcoming: list[Action]
    recipients: list = field(default_factory=list)  # users

    @property
    def plan_url(self) -> str:
        return settings.SITE_ROOT + reverse("plans:plan", args=[self.organisation.slug])


def collect(today: datetime.date) -> list[Digest]:
    """One digest per organisation with open actions that are overdue or
    due within DAYS_AHEAD days of ``today`` (suggestions, done actions and
    those set aside do not count), each addressed to the organisation's
    active administrators."""
    horizon = today + datetime.timedelta(days=DAYS_AHEAD)
    due = (
        Action.objects.filter(status__in=OPEN_STATUSES, due_date__isnull=False, due_date__lte=horizon)
        .select_related("organisation")
        .order_by("organisation__name", "organisation_id", "due_date", "position", "pk")
    )
    by_organisation: dict[int, Digest] = {}
    for action in due:
        digest = by_organisation.get(action.organisation_id)
        if digest is None:
            digest = by_organisation[action.organisation_id] = Digest(action.organisation, [], [])
        (digest.overdue if action.due_date < today else digest.upcoming).append(action)
    admins = (
        RoleGrant.objects.current()
        .filter(
            organisation_id__in=by_organisation,
            role=RoleName.ORGANISATION_ADMIN,
            user__is_active=True,
            user__erased_at__isnull=True,
        )
        .select_related("user")
        .order_by("user__email")
    )
    for grant in admins:
        if grant.user not in by_organisation[grant.organisation_id].recipients:
            by_organisation[grant.organisation_id].recipients.append(grant.user)
    return list(by_organisation.values())


def subject(digest: Digest) -> str:
    parts = []
    if digest.overdue:
        count = len(digest.overdue)
        parts.append(f"{count} action{'s' if count != 1 else ''} overdue")
    if digest.upcoming:
        count = len(digest.upcoming)
        noun = "" if parts else f" action{'s' if count != 1 else ''}"
        parts.append(f"{count}{noun} due in the next {DAYS_AHEAD} days")
    return f"{digest.organisation.name}: {' and '.join(parts)}"


def render(digest: Digest, recipient, today: datetime.date) -> EmailMessage:
    context = {
        "digest": digest,
        "organisation": digest.organisation,
        "recipient": recipient,
        "today": today,
        "days": DAYS_AHEAD,
        "plan_url": digest.plan_url,
    }
    body = render_to_string("plans/email/digest.txt", context)
    return EmailMessage(subject(digest), body, None, [recipient.email])


@dataclass
class Summary:
    organisations: int = 0  # organisations with something due
    messages: int = 0  # e-mails sent (or, on a dry run, that would be)
    without_admins: list[str] = field(default_factory=list)  # organisations nobody could be told about

    def line(self, dry_run: bool) -> str:
        verb = "Would send" if dry_run else "Sent"
        text = (
            f"{verb} {self.messages} e-mail{'s' if self.messages != 1 else ''} about "
            f"{self.organisations} organisation{'s' if self.organisations != 1 else ''} with actions overdue or due "
            f"in the next {DAYS_AHEAD} days."
        )
        if self.without_admins:
            text += f" No active administrator to write to: {', '.join(self.without_admins)}."
        return text


def send(digests: list[Digest], today: datetime.date, *, dry_run: bool = False) -> Summary:
    summary = Summary(organisations=len(digests))
    messages = []
    for digest in digests:
        if not digest.recipients:
            summary.without_admins.append(digest.organisation.name)
        for recipient in digest.recipients:
            messages.append(render(digest, recipient, today))
    summary.messages = len(messages)
    if messages and not dry_run:
        with get_connection() as connection:
            connection.send_messages(messages)
    return summary
