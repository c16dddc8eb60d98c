import json

from django.core.management.base import BaseCommand, CommandError

from personfirst.core import privacy
from personfirst.core.accounts.models import User, normalise_email


class Command(BaseCommand):
    help = "Print, as JSON, everything PersonFirst holds about one person."

    def add_arguments(self, parser) -> None:
        parser.add_argument("email")

    def handle(self, *args, email: str, **options) -> None:
        user = User.objects.filter(email=normalise_email(email)).first()
        if user is None:
            raise CommandError(f"No user has the e-mail address {email!r}.")
        self.stdout.write(json.dumps(privacy.export(user), indent=2))
