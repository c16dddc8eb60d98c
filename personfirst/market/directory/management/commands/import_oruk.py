import sys

from django.core.management.base import BaseCommand, CommandError

from personfirst.market.directory import transfer


class Command(BaseCommand):
    help = (
        "Load an Open Referral UK 3.0 feed (a JSON list of services, an API page, or a data package .zip). "
        "All or nothing: if any record has a problem, nothing is loaded and each problem is listed."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("feed", help="The file to load")

    def handle(self, *args, feed: str, **options) -> None:
        from tqdm import tqdm

        try:
            records = transfer.read_feed(feed)
        except transfer.FeedError as error:
            raise CommandError(str(error)) from None
        with tqdm(total=len(records), unit=" services", file=sys.stderr, disable=None) as bar:
            report = transfer.import_records(records, progress=bar.update)
        if not report.ok:
            for line in report.lines():
                self.stderr.write(f"{feed}: {line}")
            raise CommandError(
                f"Nothing was loaded: {len(report.problems)} of {report.records} records have problems. "
                "Correct them and run the import again."
            )
        self.stdout.write(self.style.SUCCESS(f"Loaded {report.loaded} services from {feed}."))
