from django.core.management.base import BaseCommand, CommandError

from personfirst.core.accounts.models import ApiToken, User, normalise_email


class Command(BaseCommand):
    help = "Create a personal API token for a user and print it (shown only once)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("email")
        parser.add_argument("--name", default="Created on the command line")
        parser.add_argument(
            "--scope",
            action="append",
            choices=ApiToken.ALL_SCOPES,
            help="What it may be used for (repeat for more than one; read if none is given).",
        )
        parser.add_argument("--days", type=int, choices=ApiToken.LIFETIMES, default=ApiToken.DEFAULT_DAYS)

    def handle(self, *args, email: str, name: str, scope: list[str] | None, days: int, **options) -> None:
        user = User.objects.filter(email=normalise_email(email), is_active=True).first()
        if user is None:
            raise CommandError(f"No active user has the e-mail address {email!r}.")
        _token, raw = ApiToken.issue(user, name, scopes=scope or [ApiToken.READ], days=days)
        self.stdout.write(raw)
