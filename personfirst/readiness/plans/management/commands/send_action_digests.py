"""E-mail each organisation's administrators about overdue actions and
actions due in the next seven days. Run it once a week (docs/operations.md)."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from personfirst.readiness.plans import digests


class Command(BaseCommand):
    help = "E-mail organisation administrators about overdue actions and actions due in the next 7 days."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--today", help="Work as if today were this date (YYYY-MM-DD). For catching up or testing.")
        parser.add_argument("--dry-run", action="store_true", help="List who would get an e-mail; send nothing.")

    def handle(self, *args, today: str | None = None, dry_run: bool = False, **options) -> None:
        if today:
            try:
                day = datetime.date.fromisoformat(today)
            except ValueError:
                raise CommandError(f"--today must be a date like 2027-03-31, not {today!r}.") from None
        else:
            day = timezone.localdate()
        collected = digests.collect(day)
        if dry_run:
            for digest in collected:
                who = ", ".join(user.email for user in digest.recipients) or "nobody"
                self.stdout.write(
                    f"{digest.organisation.name}: {len(digest.overdue)} overdue, "
                    f"{len(digest.upcoming)} due soon; to {who}"
                )
        summary = digests.send(collected, day, dry_run=dry_run)
        self.stdout.write(summary.line(dry_run))
