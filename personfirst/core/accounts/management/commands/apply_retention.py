from django.core.management.base import BaseCommand

from personfirst.core import privacy


class Command(BaseCommand):
    help = (
        "Remove personal data that is past its retention period, as each app's personal_data.py "
        "declares. Prints what it would remove; nothing is removed without --apply."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--apply", action="store_true", help="Remove the rows (without it, only say what would go)."
        )

    def handle(self, *args, apply: bool = False, **options) -> None:
        results = privacy.apply_retention(dry_run=not apply)
        verb = "Removed" if apply else "Would remove"
        total = 0
        for result in results:
            total += result.count
            if result.count:
                self.stdout.write(f"{verb} {result.count} from {result.model}: {result.says}")
        if not total:
            self.stdout.write("Nothing is past its retention period.")
        elif not apply:
            self.stdout.write("This was a dry run: nothing was removed. Run with --apply to remove these.")
