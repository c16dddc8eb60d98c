from django.core.management.base import BaseCommand

from personfirst.insight.area import facts


class Command(BaseCommand):
    help = (
        "Make area insight's counts again from the submitted assessments. Run it once after installing insight "
        "on a database that already has submitted assessments; with --missing, only adds what is missing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--missing", action="store_true", help="Only count assessments not counted yet")

    def handle(self, *args, **options) -> None:
        count = facts.record_missing() if options["missing"] else facts.rebuild()
        self.stdout.write(self.style.SUCCESS(f"Counted {count} submitted assessment(s)."))
