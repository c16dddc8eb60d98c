"""Load RAS versions from definition files (all the shipped ones by default).
Problems are printed as FILE:LINE: problem, and nothing is loaded from a file with any."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from personfirst.sds.allocation import ras_file, services
from personfirst.sds.selfassessment.services import ras_fits_questionnaire


class Command(BaseCommand):
    help = "Load RAS versions from their definition files (the shipped ones if none are given)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("files", nargs="*")

    def handle(self, *args, files, **options) -> None:
        paths = files or sorted(str(p) for p in ras_file.SHIPPED.glob("*.yaml"))
        failed = False
        for path in paths:
            try:
                version, created = services.load_ras_file(path, check=ras_fits_questionnaire)
            except (services.RasLoadError, OSError) as error:
                failed = True
                for problem in getattr(error, "problems", [f"{path}:1: {error}"]):
                    self.stderr.write(problem)
                continue
            self.stdout.write(f"{path}: {'loaded' if created else 'already loaded'} {version}")
        if failed:
            raise CommandError("Some files were not loaded.")
