"""Load a council's RAS versions from definition files (all the shipped ones
by default), as drafts for its council administrator to publish, or
published at once with --publish (from the date in each file).
Problems are printed as FILE:LINE: problem, and nothing is loaded from a file with any."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from personfirst.core.concurrency import ConflictError
from personfirst.core.organisations.models import CouncilArea
from personfirst.sds.allocation import ras_file, services
from personfirst.sds.selfassessment.services import ras_fits_questionnaire


class Command(BaseCommand):
    help = "Load a council's RAS versions from their definition files (the shipped ones if none are given)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("files", nargs="*")
        parser.add_argument("--council", required=True, help="the council area's ONS code, such as E99000001")
        parser.add_argument(
            "--publish", action="store_true", help="publish each version from the date in its file (even a past one)"
        )

    def handle(self, *args, files, council, publish, **options) -> None:
        area = CouncilArea.objects.filter(code=council.strip().upper()).first()
        if area is None:
            raise CommandError(f"There is no council area with the code {council!r}.")
        paths = files or sorted(str(p) for p in ras_file.SHIPPED.glob("*.yaml"))
        failed = False
        for path in paths:
            try:
                version, stored = services.load_ras_file(path, council_area=area, check=ras_fits_questionnaire)
            except (services.RasLoadError, OSError) as error:
                failed = True
                for problem in getattr(error, "problems", [f"{path}:1: {error}"]):
                    self.stderr.write(problem)
                continue
            state = "a draft" if version.is_draft else "published"
            self.stdout.write(f"{path}: {'loaded' if stored else 'already loaded'} {version} for {area} ({state})")
            if publish and version.is_draft:
                try:
                    done = services.publish(version, by=None, backdate=True)
                except ConflictError as conflict:
                    self.stderr.write(f"{path}:1: {conflict.message}")
                    failed = True
                    continue
                self.stdout.write(f"{path}: published, with {done.budgets_made} new indicative budgets")
        if failed:
            raise CommandError("Some files were not loaded.")
