"""Entries nobody has confirmed for a while.

An entry not confirmed (by its provider, or by a moderator publishing it)
for three months is flagged to its provider's editors by e-mail; if it is
still not confirmed two weeks later, to the moderators, whose queue lists
it. The public page always says when the entry was last checked.
``manage.py flag_stale_services`` runs this daily (docs/operations.md).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from personfirst.core.access.models import MEMBERSHIP_ROLES, RoleGrant, RoleName

from .models import Service

STALE_AFTER = datetime.timedelta(days=91)  # three months
ESCALATE_AFTER = datetime.timedelta(days=14)


def stale_before(today: datetime.date) -> datetime.date:
    return today - STALE_AFTER


def stale(today: datetime.date | None = None) -> QuerySet[Service]:
    today = today or timezone.localdate()
    return Service.objects.listed().filter(Q(assured_date__lt=stale_before(today)) | Q(assured_date__isnull=True))


def escalated() -> QuerySet[Service]:
    return Service.objects.listed().filter(stale_escalated_at__isnull=False).select_related("provider")


def editors_of(service: Service) -> list[str]:
    organisation = service.provider.organisation_id
    if organisation is None:
        return [service.provider.email] if service.provider.email else []
    # The same people as rules.is_provider_editor: its members and its provider editors.
    editors = RoleGrant.objects.current().filter(
        role__in=[*MEMBERSHIP_ROLES, RoleName.PROVIDER_EDITOR],
        organisation_id=organisation,
    )
    return sorted(set(editors.values_list("user__email", flat=True)))


def moderators() -> list[str]:
    return sorted(
        set(RoleGrant.objects.current().filter(role=RoleName.DIRECTORY_MODERATOR).values_list("user__email", flat=True))
    )


@dataclass
class Flagged:
    to_providers: list[Service] = field(default_factory=list)
    to_moderators: list[Service] = field(default_factory=list)


def flag(now: datetime.datetime | None = None) -> Flagged:
    now = now or timezone.now()
    today = timezone.localdate(now)
    done = Flagged()
    for service in stale(today).filter(stale_flagged_at__isnull=True).select_related("provider"):
        recipients = editors_of(service)
        if recipients:
            link = settings.SITE_ROOT + reverse("directory:confirm", args=[service.pk])
            send_mail(
                f"Is your directory entry still right? {service.name}",
                f"Nobody has confirmed the directory entry “{service.name}” since "
                f"{service.assured_date:%-d %B %Y}.\n\nCheck it and confirm it, or change it: {link}\n\n"
                "If it is not confirmed within two weeks, the directory's moderators will be told.",
                None,
                recipients,
            )
        Service.objects.filter(pk=service.pk).update(stale_flagged_at=now)
        done.to_providers.append(service)
    cutoff = now - ESCALATE_AFTER
    overdue = (
        stale(today).filter(stale_flagged_at__lte=cutoff, stale_escalated_at__isnull=True).select_related("provider")
    )
    overdue = list(overdue)
    if overdue:
        recipients = moderators()
        if recipients:
            lines = "\n".join(f"- {service.name} ({service.provider.name})" for service in overdue)
            send_mail(
                f"{len(overdue)} directory entries have not been confirmed",
                "These entries have not been confirmed for more than three months, and their providers were told "
                f"two weeks ago:\n\n{lines}\n\nThey are listed in the moderation queue: "
                f"{settings.SITE_ROOT}{reverse('directory:queue')}",
                None,
                recipients,
            )
        Service.objects.filter(pk__in=[service.pk for service in overdue]).update(stale_escalated_at=now)
        done.to_moderators = overdue
    return done
