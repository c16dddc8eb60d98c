from django.core.management.base import BaseCommand

from personfirst.market.directory import staleness


class Command(BaseCommand):
    help = "Tell providers, then moderators, about directory entries not confirmed for three months (run daily)."

    def handle(self, *args, **options) -> None:
        flagged = staleness.flag()
        self.stdout.write(
            f"Told providers about {len(flagged.to_providers)} entries and moderators about "
            f"{len(flagged.to_moderators)}."
        )
