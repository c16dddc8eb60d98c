"""The demo area: a fictional council area with a dozen organisations and
one demo user per role. Loading it twice changes nothing."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from personfirst.core.access.models import RoleGrant, RoleName
from personfirst.core.access.roles import needs_two_factor
from personfirst.core.accounts.models import User
from personfirst.core.organisations.choices import OrganisationType as T
from personfirst.core.organisations.choices import ServiceKind as S
from personfirst.core.organisations.models import AccessGrant, CouncilArea, Organisation
from personfirst.core.people.models import ConsentBy, ConsentHow, Person, Supporter, Team

# Demo roles are held from this day (a fixed day in the past, so that tests
# that travel in time still find them in force).
ROLES_SINCE = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
AREA_CODE = "E99000001"  # not a real ONS code: the E99 range is unused
AREA_NAME = "Eastmere"
PASSWORD = "eastmere-demo-2026"
# Demo users whose roles need two-factor sign-in have an authenticator with this
# known secret (RFC 6238's example key; in base32, as apps take it typed in:
# GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ). Known to everyone, like the password.
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"
DEMO_TOTP_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
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


# A demo user's roles: (role, scope), the scope being an organisation's slug,
# AREA (the Eastmere council area) or None (the whole service).
AREA = "area"
MEMBER = RoleName.ORGANISATION_MEMBER
ADMIN = RoleName.ORGANISATION_ADMIN


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    role_label: str
    roles: tuple[tuple[str, str | None], ...] = ()


USERS = [
    DemoUser("admin@carers.example", "Asha Admin", "organisation admin", ((ADMIN, "eastmere-carers-centre"),)),
    DemoUser("member@carers.example", "Milo Member", "organisation member", ((MEMBER, "eastmere-carers-centre"),)),
    DemoUser(
        "worker@eva.example",
        "Wendy Worker",
        "development worker",
        ((MEMBER, SUPPORT_ORG), (RoleName.DEVELOPMENT_WORKER, SUPPORT_ORG)),
    ),
    DemoUser(
        "commissioner@eastmere.example",
        "Colin Commissioner",
        "commissioner",
        ((MEMBER, "eastmere-council"), (RoleName.COMMISSIONER, AREA)),
    ),
    DemoUser(
        "platform@personfirst.example", "Pat Platform", "platform administrator", ((RoleName.PLATFORM_ADMIN, None),)
    ),
    # The council's adult social care team: an administrator who gives the
    # council's roles, and a practitioner who keeps people's records.
    DemoUser(
        "council-admin@eastmere.example",
        "Cara Council",
        "council administrator",
        ((MEMBER, "eastmere-council"), (RoleName.COUNCIL_ADMIN, AREA)),
    ),
    DemoUser(
        "practitioner@eastmere.example",
        "Priya Practitioner",
        "practitioner",
        ((MEMBER, "eastmere-council"), (RoleName.PRACTITIONER, AREA)),
    ),
    # Two people with records (PEOPLE below): one signs in alone, the other
    # has a carer who signs in and changes the record with her.
    DemoUser(
        "moderator@eastmere.example",
        "Mina Moderator",
        "directory moderator",
        ((RoleName.DIRECTORY_MODERATOR, None),),
    ),
    DemoUser("sam@people.example", "Sam Okafor", "person with a record"),
    DemoUser("carer@people.example", "Carl Ellis", "carer"),
]

# People's records: (given name, family name, preferred name, date of birth,
# e-mail of the person's own account or None, what matters to them),
# with their supporters: (e-mail of the supporter's account, kind, may edit, may act).
PEOPLE = [
    (
        "Samuel",
        "Okafor",
        "Sam",
        datetime.date(1988, 6, 14),
        "sam@people.example",
        "Getting back to work part time, and going to the football with my brother.",
        [],
    ),
    (
        "Rose",
        "Ellis",
        "",
        datetime.date(1941, 2, 3),
        None,
        "Staying in her own home, her garden, and seeing her grandchildren on Sundays.",
        [("carer@people.example", "carer", True, False)],
    ),
]
# Users who hold a role over the whole service (a stored grant).


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
            user = User.objects.create_user(demo.email, PASSWORD, full_name=demo.name)
        for role, scope in demo.roles:
            over = {
                "organisation": by_slug[scope] if scope not in (None, AREA) else None,
                "council_area": area if scope == AREA else None,
            }
            if not RoleGrant.objects.filter(user=user, role=role, **over).exists():
                RoleGrant.objects.create(user=user, role=role, valid_from=ROLES_SINCE, **over)
        give_demo_authenticator(user)
    _load_people(area)
    return USERS


# The council team the demo people are allocated to; the demo practitioner is in it.
TEAM = "Eastmere adults' team"


def give_demo_authenticator(user: User) -> None:
    """A demo user who must use two-factor sign-in gets the demo's authenticator."""
    if needs_two_factor(user) and not TOTPDevice.objects.filter(user=user).exists():
        TOTPDevice.objects.create(user=user, name="Demo authenticator", key=DEMO_TOTP_KEY, confirmed=True)


def _load_people(area: CouncilArea) -> None:
    practitioner = User.objects.get(email="practitioner@eastmere.example")
    team, _ = Team.objects.get_or_create(council_area=area, name=TEAM)
    team.members.add(practitioner)
    for given, family, preferred, born, own_email, what_matters, supporters in PEOPLE:
        person = Person.objects.filter(given_name=given, family_name=family, council_area=area).first()
        if person is None:
            person = Person.objects.create(
                given_name=given,
                family_name=family,
                preferred_name=preferred,
                date_of_birth=born,
                email=own_email or "",
                what_matters=what_matters,
                council_area=area,
                created_by=practitioner,
                user=User.objects.get(email=own_email) if own_email else None,
                team=team,
            )
        for email, kind, may_edit, may_act in supporters:
            supporter = User.objects.get(email=email)
            if not person.supporters.filter(user=supporter).exists():
                Supporter.objects.create(
                    person=person,
                    user=supporter,
                    name=supporter.full_name,
                    email=email,
                    kind=kind,
                    may_edit=may_edit,
                    may_act=may_act,
                    consent_given_at=ROLES_SINCE,
                    consent_by=ConsentBy.PRACTITIONER,
                    consent_how=ConsentHow.IN_PERSON,
                    consent_recorded_by=practitioner,
                )
