import sys

from django.core.management.base import BaseCommand

from personfirst.market.directory import postcodes
from personfirst.market.directory.models import PostcodeDataset


class Command(BaseCommand):
    help = "Copy the ONS postcodes from the installed postcode package into the database (skipped when up to date)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--force", action="store_true", help="Load again even if this release is loaded")

    def handle(self, *args, force: bool = False, **options) -> None:
        version = postcodes.package_version()
        loaded = PostcodeDataset.objects.filter(pk=1).first()
        if loaded and loaded.version == version and not force:
            self.stdout.write(f"Postcodes {version} are loaded ({loaded.count:,}).")
            return
        from tqdm import tqdm

        with tqdm(total=2_700_000, unit=" postcodes", file=sys.stderr, disable=None) as bar:
            count = postcodes.load(progress=bar.update)
        self.stdout.write(self.style.SUCCESS(f"Loaded {count:,} postcodes (release {version})."))
