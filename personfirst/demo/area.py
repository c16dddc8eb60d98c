"""The demo area: a fictional council area with a dozen organisations and
one demo user per role. Loading it twice changes nothing."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from personfirst.core.access.models import RoleGrant, RoleName
from personfirst.core.accounts.models import User
from personfirst.core.organisations.choices import OrganisationType as T
from personfirst.core.organisations.choices import ServiceKind as S
from personfirst.core.organisations.models import AccessGrant, CouncilArea, Membership, Organisation, Role

AREA_CODE = "E99000001"  # not a real ONS code: the E99 range is unused
AREA_NAME = "Eastmere"
PASSWORD = "eastmere-demo-2026"
SUPPORT_ORG = "eastmere-voluntary-action"

ORGANISATIONS = [
    # slug, name, type, paid staff, volunteers, services, shares with the support organisation
    ("eastmere-council", "Eastmere Council", T.COUNCIL, 2400, 0, [], False),
    (SUPPORT_ORG, "Eastmere Voluntary Action", T.SUPPORT_DEVELOPMENT, 14, 30, [S.INFORMATION_ADVICE], False),
    (
        "eastmere-carers-centre",
        "Eastmere Carers' Centre",
        T.VOLUNTARY,
        6,
        25,
        [S.CARERS_SUPPORT, S.INFORMATION_ADVICE, S.SHORT_BREAKS],
        True,
    ),
    ("riverside-home-care", "Riverside Home Care", T.HOME_CARE, 85, 0, [S.PERSONAL_CARE], True),
    ("beech-house", "Beech House Care Home", T.RESIDENTIAL, 48, 6, [S.RESIDENTIAL_CARE, S.NURSING_CARE], False),
    ("open-doors-housing", "Open Doors Housing Trust", T.HOUSING, 32, 4, [S.SUPPORTED_LIVING], True),
    ("speak-up-eastmere", "Speak Up Eastmere", T.USER_LED, 3, 18, [S.ADVOCACY, S.COMMUNITY_ACTIVITIES], True),
    (
        "little-acorns",
        "Little Acorns Community Care",
        T.MICRO_ENTERPRISE,
        2,
        0,
        [S.PERSONAL_CARE, S.DAY_OPPORTUNITIES],
        True,
    ),
    (
        "eastmere-advice-network",
        "Eastmere Advice Network",
        T.INFORMATION_ADVICE,
        9,
        40,
        [S.INFORMATION_ADVICE, S.ADVOCACY, S.BROKERAGE],
        True,
    ),
    (
        "direct-choice",
        "Direct Choice Payments Support",
        T.DIRECT_PAYMENT_SUPPORT,
        7,
        0,
        [S.DIRECT_PAYMENT_SUPPORT, S.PERSONAL_ASSISTANTS],
        True,
    ),
    ("good-neighbours", "Good Neighbours Befriending", T.VOLUNTARY, 1, 60, [S.BEFRIENDING, S.TRANSPORT], False),
    ("common-table", "The Common Table Kitchen", T.MICRO_ENTERPRISE, 4, 12, [S.MEALS, S.EMPLOYMENT], False),
]


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    role_label: str
    organisation: str | None
    role: str = Role.MEMBER
    staff: bool = False


USERS = [
    DemoUser("admin@carers.example", "Asha Admin", "organisation admin", "eastmere-carers-centre", Role.ADMIN),
    DemoUser("member@carers.example", "Milo Member", "organisation member", "eastmere-carers-centre"),
    DemoUser("worker@eva.example", "Wendy Worker", "development worker", SUPPORT_ORG),
    DemoUser("commissioner@eastmere.example", "Colin Commissioner", "commissioner", "eastmere-council"),
    DemoUser("platform@personfirst.example", "Pat Platform", "platform administrator", None, staff=True),
    DemoUser("moderator@eastmere.example", "Mina Moderator", "directory moderator", None),
]
# Users who hold a role over the whole service (a stored grant).
SERVICE_ROLES = {"moderator@eastmere.example": RoleName.DIRECTORY_MODERATOR}


@transaction.atomic
def load() -> list[DemoUser]:
    area, _ = CouncilArea.objects.get_or_create(code=AREA_CODE, defaults={"name": AREA_NAME})
    by_slug = {}
    for slug, name, org_type, staff, volunteers, services, _shares in ORGANISATIONS:
        organisation, _ = Organisation.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "org_type": org_type,
                "paid_staff": staff,
                "volunteers": volunteers,
                "services": [str(s) for s in services],
                "council_area": area,
            },
        )
        by_slug[slug] = organisation
    support = by_slug[SUPPORT_ORG]
    for slug, *_rest, shares in ORGANISATIONS:
        if shares and not AccessGrant.objects.filter(organisation=by_slug[slug], support_organisation=support).exists():
            AccessGrant.objects.create(organisation=by_slug[slug], support_organisation=support)
    for demo in USERS:
        user = User.objects.filter(email=demo.email).first()
        if user is None:
            user = User.objects.create_user(demo.email, PASSWORD, full_name=demo.name, is_staff=demo.staff)
        if demo.organisation:
            Membership.objects.get_or_create(
                user=user, organisation=by_slug[demo.organisation], defaults={"role": demo.role}
            )
        role = SERVICE_ROLES.get(demo.email)
        if role and not RoleGrant.objects.filter(user=user, role=role).exists():
            RoleGrant.objects.create(user=user, role=role)
    return USERS
