"""manage.py load_instruments: load the instruments PersonFirst ships
(readiness/instruments/*.yaml), their action libraries (KEY.actions.yaml)
and then the crosswalk between them (crosswalk.yaml).

Everything is checked first and loaded in one transaction, or nothing is.
Safe to run on every start: files that have not changed load nothing and,
at the default verbosity, print one line in all.
"""

from django.core.management.base import BaseCommand

from personfirst.readiness.assessments.instrument_file import InstrumentFileError
from personfirst.readiness.assessments.loading import load_shipped
from personfirst.readiness.assessments.management.commands.load_instrument import (
    describe_companion,
    describe_result,
    report_problems,
)


class Command(BaseCommand):
    help = (
        "Load the shipped readiness instruments, their action libraries and the crosswalk. "
        "Unchanged files change nothing."
    )

    def handle(self, *args, **options) -> None:
        verbosity = options["verbosity"]
        try:
            results, crosswalk = load_shipped()
        except InstrumentFileError as error:
            raise report_problems(self, error) from None
        changed = crosswalk.changed
        for _path, result in results:
            companions = [
                describe_companion(c) for c in result.companions if c.changed or (verbosity >= 2 and c.reported)
            ]
            changed = changed or result.created or any(c.changed for c in result.companions)
            if result.created or companions or verbosity >= 2:
                # The instrument's line too, so that "its action library" says whose.
                self.stdout.write(describe_result(result))
                for line in companions:
                    self.stdout.write(line)
        if crosswalk.changed or verbosity >= 2:
            links = f"{crosswalk.links} link{'s' if crosswalk.links != 1 else ''}"
            state = "Loaded the crosswalk" if crosswalk.changed else "The crosswalk is unchanged"
            self.stdout.write(f"{state} ({crosswalk.path.name}): {links}")
        if not changed and verbosity >= 1:
            self.stdout.write(f"The {len(results)} shipped instruments are up to date.")
