"""manage.py load_instrument FILE [FILE ...]: check instrument files and load them.

Every file, and the companion files beside it (such as its action library,
KEY.actions.yaml), is checked before anything is written. If any file has a
problem, every problem is printed to stderr as FILE:LINE: message, nothing
at all is loaded, and the command exits with status 1. The crosswalk is
left alone: load_instruments loads it.
"""

from django.core.management.base import BaseCommand, CommandError

from personfirst.readiness.assessments.instrument_file import InstrumentFileError
from personfirst.readiness.assessments.loading import CompanionResult, LoadResult, load_paths


def describe_result(result: LoadResult) -> str:
    version = result.version
    if result.created:
        return f"Loaded {version.title} version {version.label} as revision {version.revision}"
    message = f"{version.title} is unchanged (revision {version.revision})"
    latest = version.instrument.latest_version()
    if latest is not None and latest.revision > version.revision:
        message += (
            f", but revision {latest.revision} is newer and is the one new assessments use. "
            "To make this content current again, change its version label and load it again"
        )
    return message


def describe_companion(result: CompanionResult) -> str:
    name, file = result.name, result.path.name
    if result.status == "missing":
        return f"It has no {name} (there is no {file} beside it)"
    if result.status == "unchanged":
        return f"Its {name} ({file}) is unchanged: {result.summary}"
    return f"{'Loaded' if result.status == 'loaded' else 'Updated'} its {name} ({file}): {result.summary}"


def report_problems(command: BaseCommand, error: InstrumentFileError) -> CommandError:
    """Print every problem to stderr; return the CommandError to raise (exit status 1)."""
    for problem in error.problems:
        command.stderr.write(str(problem))
    problems = len(error.problems)
    files = len({problem.filename for problem in error.problems})
    return CommandError(
        f"{problems} problem{'s' if problems != 1 else ''} in {files} file{'s' if files != 1 else ''}; "
        "nothing was loaded"
    )


class Command(BaseCommand):
    help = (
        "Check instrument files (YAML) and load them as new versions. A file with any problem is refused, "
        "and then nothing is loaded. Loading an unchanged file again changes nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE", help="an instrument file; see docs/instruments.md")

    def handle(self, *args, files: list[str], **options) -> None:
        try:
            results = load_paths(files)
        except InstrumentFileError as error:
            raise report_problems(self, error) from None
        for _path, result in results:
            self.stdout.write(describe_result(result))
            for companion in result.companions:
                if companion.reported:
                    self.stdout.write(describe_companion(companion))
