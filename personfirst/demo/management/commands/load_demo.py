from django.core.management.base import BaseCommand

from personfirst.core.organisations.models import CouncilArea, Organisation
from personfirst.demo import area, assessments, directory, sds, synthetic
from personfirst.insight.area import facts, publish

# Synthetic organisations in Eastmere, a quarter of them sharing with Eastmere Voluntary Action.
SYNTHETIC = 300


class Command(BaseCommand):
    help = "Load the demo council area, its organisations and one user per role. Safe to run again."

    def handle(self, *args, **options) -> None:
        users = area.load()
        assessments.load()
        sds.load()
        published = directory.load()
        if published:
            self.stdout.write(f"Published {published} demo services in the directory.")
        # Area insight shows nothing for a dozen organisations: add synthetic ones (once).
        facts.record_missing()
        eastmere = CouncilArea.objects.get(code=area.AREA_CODE)
        made = synthetic.top_up(
            eastmere, SYNTHETIC, share_with=Organisation.objects.get(slug=area.SUPPORT_ORG), share_fraction=0.25
        )
        if made:
            self.stdout.write(
                f"Added {made.organisations} synthetic organisations to {area.AREA_NAME} for area insight."
            )
        # Area insight shows only published figures: publish as at the last quarter that has ended (once).
        for instrument, snapshot in publish.publish_due():
            if snapshot is not None:
                self.stdout.write(f"Published area insight figures for the {instrument.title}.")
        self.stdout.write(self.style.SUCCESS(f"Demo area '{area.AREA_NAME}' is ready."))
        self.stdout.write(f"Sign in with any of these (password: {area.PASSWORD}):")
        for user in users:
            self.stdout.write(f"  {user.role_label:<24} {user.email}")
        self.stdout.write(
            "The platform administrator, council administrator and practitioner also enter a code from an "
            f"authenticator app holding the demo key {area.DEMO_TOTP_SECRET} (time-based, 6 digits)."
        )
