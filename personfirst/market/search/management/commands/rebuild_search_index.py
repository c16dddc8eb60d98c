from django.core.management.base import BaseCommand

from personfirst.market.search import index


class Command(BaseCommand):
    help = "Build the directory's search index again from its tables."

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"Indexed {index.rebuild()} services.")
