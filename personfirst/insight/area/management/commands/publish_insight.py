from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from personfirst.core.organisations.models import CouncilArea
from personfirst.insight.area import publish, quarters
from personfirst.insight.area.models import Snapshot
from personfirst.readiness.assessments.models import Instrument


class Command(BaseCommand):
    help = (
        "Publish area insight's figures as at the end of the last quarter that has ended, for every instrument "
        "not published as at then yet. Pages show only published figures. Run it every day from cron."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--instrument", metavar="KEY", help="Only this instrument (its key, e.g. health-check)")
        parser.add_argument(
            "--as-at",
            metavar="YYYY-QN",
            help="Publish as at the end of this quarter (e.g. 2026-Q3) instead; it must have ended",
        )
        parser.add_argument(
            "--again",
            action="store_true",
            help=(
                "Delete the instrument's published figures first and publish anew. Only for a demonstration or "
                "after loading old assessments: figures people already have are then not taken into account."
            ),
        )

    def handle(self, *args, **options) -> None:
        instruments = None
        if options["instrument"]:
            instruments = list(Instrument.objects.filter(key=options["instrument"]))
            if not instruments:
                raise CommandError(f"--instrument: no instrument has the key {options['instrument']!r}")
        last = publish.last_closed_quarter()
        quarter = last
        if options["as_at"]:
            try:
                quarter = publish.parse_quarter(options["as_at"])
            except ValueError as error:
                raise CommandError(f"--as-at: {error}") from error
            if quarter > last:
                raise CommandError(f"--as-at: {options['as_at']} has not ended yet")
        with transaction.atomic():
            if options["again"]:
                chosen = instruments if instruments is not None else list(Instrument.objects.all())
                deleted, _kinds = Snapshot.objects.filter(instrument__in=chosen).delete()
                if deleted:
                    self.stdout.write(self.style.WARNING("Deleted the published figures of the instruments chosen."))
            if options["as_at"]:
                targets = instruments if instruments is not None else list(Instrument.objects.order_by("key"))
                results = []
                for instrument in targets:
                    try:
                        results.append((instrument, publish.publish(instrument, quarter)))
                    except publish.AlreadyPublished:
                        results.append((instrument, None))
            else:
                results = publish.publish_due(instruments=instruments)
        when = quarters.ends_label(quarter)
        for instrument, snapshot in results:
            if snapshot is None:
                self.stdout.write(f"{instrument.key}: already published as at the end of {when} or later.")
            else:
                self.stdout.write(self.style.SUCCESS(f"{instrument.key}: published as at the end of {when}."))
                for area in CouncilArea.objects.filter(pk__in=snapshot.plan.get("unchanged", [])).order_by("name"):
                    self.stdout.write(
                        self.style.WARNING(
                            f"{instrument.key}: {area.name} ({area.code}): assessments were added to or deleted "
                            "from quarters already published, so its figures stay as they were (see "
                            "docs/insight.md)."
                        )
                    )
