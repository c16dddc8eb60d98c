"""Give someone a role from the command line: the first platform
administrator, or any role when the service's pages cannot be used.

    manage.py grant_role pat@example.org platform_admin
    manage.py grant_role cara@council.example council_admin --area E06000001
    manage.py grant_role wendy@cvs.example development_worker --organisation eastmere-voluntary-action
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand, CommandError

from personfirst.core.access import services
from personfirst.core.access.models import ROLE_SCOPES, RoleName, Scope
from personfirst.core.accounts.models import User
from personfirst.core.organisations.models import CouncilArea, Organisation


class Command(BaseCommand):
    help = "Give a person (by e-mail address) a role, over an organisation, a council area or the whole service."

    def add_arguments(self, parser) -> None:
        parser.add_argument("email")
        parser.add_argument("role", choices=RoleName.values)
        parser.add_argument("--organisation", help="the organisation's slug, for a role over an organisation")
        parser.add_argument("--area", help="the council area's code, for a role over a council area")
        parser.add_argument("--limit", help="an approver's limit in pounds, such as 25000")

    def handle(self, *args, email: str, role: str, organisation=None, area=None, limit=None, **options) -> None:
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"email: there is no account with the address {email}")
        wanted = ROLE_SCOPES[role]
        scope: dict = {}
        if wanted == Scope.ORGANISATION:
            found = Organisation.objects.filter(slug=organisation or "").first()
            if found is None:
                raise CommandError(f"--organisation: give the slug of an organisation for the role {role}")
            scope["organisation"] = found
        elif wanted == Scope.COUNCIL_AREA:
            found = CouncilArea.objects.filter(code=area or "").first()
            if found is None:
                raise CommandError(f"--area: give the code of a council area for the role {role}")
            scope["council_area"] = found
        elif wanted == Scope.PERSON:
            raise CommandError(f"role: {role} is given over a person's record, in the service")
        amount = None
        if limit is not None:
            try:
                amount = Decimal(limit)
            except InvalidOperation:
                raise CommandError(f"--limit: {limit!r} is not a number of pounds") from None
        try:
            grant = services.grant(user=user, role=role, by=None, limit=amount, **scope)
        except services.RoleError as error:
            raise CommandError(f"{error.field or 'role'}: {error.message}") from None
        self.stdout.write(self.style.SUCCESS(f"{grant} (from {grant.valid_from:%d %B %Y})"))
