from django.core.management.base import BaseCommand, CommandError

from personfirst.core.organisations.choices import OrganisationType
from personfirst.core.organisations.models import Organisation
from personfirst.demo import synthetic
from personfirst.readiness.assessments import loading


class Command(BaseCommand):
    help = (
        "Make synthetic organisations (named 'Synthetic organisation 000123') with submitted assessments of a "
        "shipped instrument, spread over council areas, for demonstrations and for measuring area insight. "
        "Makes no users."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--organisations", type=int, required=True, help="How many organisations to make")
        parser.add_argument(
            "--assessments-per-organisation", type=int, default=4, help="Submitted assessments each (default 4)"
        )
        parser.add_argument(
            "--area-code",
            default="E98000001",
            help="The council area to put them in (made if missing); with --areas, the first of consecutive codes",
        )
        parser.add_argument("--areas", type=int, default=1, help="Spread them evenly over this many areas")
        parser.add_argument("--seed", type=int, default=1, help="The same seed makes the same figures")
        parser.add_argument("--instrument", default="health-check", help="The instrument's key")
        parser.add_argument("--share-with", help="Slug of a support organisation some of them share with")
        parser.add_argument("--share-fraction", type=float, default=0.3, help="The share that do (default 0.3)")
        parser.add_argument("--batch", type=int, default=2000, help="Organisations written per transaction")
        parser.add_argument(
            "--types",
            help="Give the organisations these types in turn (comma-separated, e.g. voluntary,housing) "
            "instead of types drawn at random",
        )

    def handle(self, *args, **options) -> None:
        if options["organisations"] < 1 or options["assessments_per_organisation"] < 1 or options["areas"] < 1:
            raise CommandError("--organisations, --assessments-per-organisation and --areas must be at least 1")
        loading.load_paths(loading.shipped_instrument_paths())
        share_with = None
        if options["share_with"]:
            share_with = Organisation.objects.filter(
                slug=options["share_with"], org_type=OrganisationType.SUPPORT_DEVELOPMENT
            ).first()
            if share_with is None:
                raise CommandError(f"No support and development organisation has the slug {options['share_with']!r}")
        types = None
        if options["types"]:
            types = [part.strip() for part in options["types"].split(",") if part.strip()]
            unknown = [t for t in types if t not in synthetic.TYPES]
            if unknown or not types:
                raise CommandError(
                    f"--types: {', '.join(repr(t) for t in unknown) or 'no types given'}: choose from "
                    + ", ".join(synthetic.TYPES)
                )
        try:
            summary = synthetic.generate(
                organisations=options["organisations"],
                assessments_per_organisation=options["assessments_per_organisation"],
                area_code=options["area_code"],
                areas=options["areas"],
                seed=options["seed"],
                instrument_key=options["instrument"],
                share_with=share_with,
                share_fraction=options["share_fraction"] if share_with else 0.0,
                batch=options["batch"],
                log=(lambda line: self.stdout.write(line)) if options["verbosity"] > 1 else None,
                types=types,
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(synthetic.describe(summary)))
