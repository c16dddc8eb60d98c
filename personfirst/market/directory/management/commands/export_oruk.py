from django.core.management.base import BaseCommand

from personfirst.market.directory import transfer


class Command(BaseCommand):
    help = "Write the whole directory as an Open Referral UK data package (.zip: CSV tables and services.json)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("output", help="The .zip file to write")

    def handle(self, *args, output: str, **options) -> None:
        with open(output, "wb") as stream:
            count = transfer.export(stream)
        self.stdout.write(self.style.SUCCESS(f"Wrote {count} services to {output}."))
