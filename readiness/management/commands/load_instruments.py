"""manage.py load_instruments: load the instruments PersonFirst ships (readiness/instruments/*.yaml).

Safe to run on every start: files that have not changed load nothing and,
at the default verbosity, print one line in all.
"""

from django.core.management.base import BaseCommand

from readiness.instrument_file import InstrumentFileError
from readiness.loading import load_paths, shipped_instrument_paths
from readiness.management.commands.load_instrument import describe_result, report_problems


class Command(BaseCommand):
    help = "Load the shipped readiness instruments. Unchanged files change nothing."

    def handle(self, *args, **options) -> None:
        verbosity = options["verbosity"]
        try:
            results = load_paths(shipped_instrument_paths())
        except InstrumentFileError as error:
            raise report_problems(self, error) from None
        created = 0
        for _path, result in results:
            created += result.created
            if result.created or verbosity >= 2:
                self.stdout.write(describe_result(result))
        if not created and verbosity >= 1:
            self.stdout.write(f"The {len(results)} shipped instruments are up to date.")
