from django.core.management.base import BaseCommand, CommandError

from personfirst.core import privacy
from personfirst.core.accounts.models import User, normalise_email


class Command(BaseCommand):
    help = (
        "Erase one person's personal data. Their account is anonymised and closed; "
        "records they contributed to are kept without their name, so figures stay right."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("email")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, email: str, yes: bool, **options) -> None:
        user = User.objects.filter(email=normalise_email(email)).first()
        if user is None:
            raise CommandError(f"No user has the e-mail address {email!r}.")
        if not yes:
            answer = input(f"Erase {user.email}? This cannot be undone. Type 'erase' to go on: ")
            if answer.strip() != "erase":
                raise CommandError("Nothing was erased.")
        privacy.erase(user)
        self.stdout.write(f"Erased: the account is now {user.email}.")
