"""The authorization matrix: every URL in the URL conf, every role.

Every URL pattern (web pages, API operations, the Django admin) is listed
from ``django.urls.get_resolver()`` and requested as each persona of the
``world`` fixture. ``URLS`` below says, per URL name, how to fill its
parameters and which roles are allowed. A URL with no entry fails
``test_every_url_is_in_the_matrix`` (and its own test), naming the URL,
so a new page cannot ship unchecked.

What the outcomes mean:

- allowed:      status < 400 (200, or a redirect that is not to sign-in);
- refused:      signed out, a web page redirects to /account/sign-in/ and
                the API answers 401 JSON; signed in, 403 or 404 (JSON
                under /api/);
- an exact status where a table entry says so (``expect``);
- never 500;
- every answer to a signed-in persona says ``Cache-Control: no-store,
  private``, and every 401 carries a ``WWW-Authenticate`` challenge.

Adding a URL is one line, for example::

    "plans:plan": [case(VIEW_ORG, slug=ORG, pk=DRAFT), case(PLATFORM, "unshared", slug=UNSHARED, pk=...)],

Give each row the interesting refusals too: an organisation that does not
share with the worker (UNSHARED), one in another area (OTHER_ORG), and an
object of another organisation reached through your own's address.

``admin:*`` URLs need no row: ADMIN_RULE covers them (platform
administrators only), filling ``object_id`` and the like with real objects;
ADMIN_EXCEPTIONS holds the few that differ. KNOWN_DEFECTS marks outcomes
that are wrong today as strict expected failures.

The world is built once for the module (``shared_world``) and each test
runs in a savepoint that is rolled back, which keeps ~1,000 requests fast.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from operator import attrgetter
from typing import Any
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from personfirst.testing import PERSONAS, verify_session

# Run in the SQLite pass only (scripts/run-tests, docs/testing.md): who may reach
# what does not depend on the database; the rules and views are tested on both.
pytestmark = pytest.mark.once

SIGN_IN = "/account/sign-in/"

# ---------------------------------------------------------------------------
# Roles: the personas of the `world` fixture (conftest.py).
# ---------------------------------------------------------------------------

ROLES = PERSONAS  # personfirst.testing: one per role of conftest.py's world
EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}
NOBODY: frozenset[str] = frozenset()
PLATFORM = frozenset({"platform"})
# world.org (Eastmere Carers' Centre): its member and admin, the development
# worker it shares with, and the platform administrator may look at it ...
VIEW_ORG = frozenset({"member", "admin", "worker", "platform"})
# ... only its admin and the platform administrator may change it.
ADMIN_ORG = frozenset({"admin", "platform"})
# world.other_org (Westholm): the outsider is its admin.
OTHER_ORG_ADMINS = frozenset({"outsider", "platform"})
# Council area E99000001 (Eastmere): its commissioner and the platform.
COMMISSIONERS = frozenset({"commissioner", "platform"})
# Eastmere Council's own people (each holds a council role over Eastmere).
COUNCIL_STAFF = frozenset(
    {"commissioner", "council_admin", "practitioner", "team_manager", "approver", "finance_officer"}
)
# Eastmere Council's organisation: its own people and the platform.
COUNCIL_ORG = COUNCIL_STAFF | PLATFORM
# Who gives the council's roles over Eastmere.
COUNCIL_ADMINS = frozenset({"council_admin", "platform"})
# People's records. Sam's (OWN_RECORD): he and the area's practitioner read it.
# Rose's (CARED_FOR): her carer and the practitioner. The council's other
# roles (REASON_ROLES) are sent to give a reason first (302 to that page);
# commissioners, platform administrators and everyone else: not found.
SAM = frozenset({"person", "practitioner"})
ROSE = frozenset({"carer", "practitioner"})
REASON_ROLES = frozenset({"council_admin", "team_manager", "approver", "finance_officer"})
GIVE_A_REASON = dict.fromkeys(REASON_ROLES, 302)
# Practitioners keep records (the outsider is a practitioner in Westholm too: world.other_area_grant).
KEEPS_RECORDS = frozenset({"practitioner", "outsider"})
HAS_RECORDS = KEEPS_RECORDS | {"person", "carer"}
# Area insight for England (a benchmark): commissioners, development workers, the platform.
INSIGHT = frozenset({"commissioner", "worker", "platform"})
# world.support_org (Eastmere Voluntary Action): its development worker and the platform.
SUPPORT_WORKERS = frozenset({"worker", "platform"})
# A draft assessment of world.org is led (answered, submitted, its respondents
# chosen) by the organisation's admin and the development worker; platform
# administrators may look but not answer. world.member is its respondent.
LEADS = frozenset({"admin", "worker"})
RESPONDENT = frozenset({"member"})
# world.org's action plan is changed by its members (admin or not) and the
# development worker; the platform administrator may only look (403).
CHANGE_PLAN = frozenset({"member", "admin", "worker"})

# The directory (personfirst/market): world.org's entries are edited by its
# members (provider editors) and looked at by the directory moderator and the
# platform administrator; only the moderator decides.
PROVIDER_EDITORS = frozenset({"member", "admin"})
DIRECTORY_VIEW = frozenset({"member", "admin", "moderator", "platform"})
MODERATION = frozenset({"moderator", "platform"})
MODERATOR = frozenset({"moderator"})
# Eastmere's RAS: version 1 published and in force, version 2 a draft (sds/allocation).
EASTMERE = "E99000001"
RAS_ADMIN = frozenset({"council_admin"})
PAST_DATE = {"effective_from_day": "1", "effective_from_month": "1", "effective_from_year": "2020"}
NO_SUCH_UUID = "0b4f1c1e-0000-4000-8000-000000000000"

# Whose roles need two-factor sign-in (access.roles.needs_two_factor): the outsider
# is a practitioner in Westholm here (world.other_area_grant).
TWO_FACTOR = frozenset(
    {"platform", "council_admin", "practitioner", "team_manager", "approver", "finance_officer", "superuser"}
    | {"outsider"}
)

# Expected outcomes other than allowed/refused (see `expect` below).
REDIRECT_TO_SIGN_IN = "redirect to sign-in"


def of(path: str) -> Callable[[Any], Any]:
    """A URL parameter taken from the world: of("org.slug") -> world.org.slug."""
    return attrgetter(path)


ORG = of("org.slug")
UNSHARED = of("unshared.slug")
OTHER_ORG = of("other_org.slug")
COUNCIL = of("council.slug")
DRAFT = of("draft.pk")  # a draft assessment of world.org
RAS_V1 = of("ras_v1.pk")
RAS_DRAFT = of("ras_draft.pk")
SUBMITTED = of("submitted.pk")  # a submitted one
SECTION = of("section_key")  # a section of the draft that applies to world.org
OWN_RECORD = of("own_record.pk")  # Sam's record (world.person signs in to see it)
CARED_FOR = of("cared_for.pk")  # Rose's record (world.carer supports her)
AREA = of("area.code")  # Eastmere
CALIBRATION = of("calibration_import.pk")  # Eastmere's calibration import
# RAS calibration: Eastmere's council administrator (not the platform's).
CALIBRATES = frozenset({"council_admin"})


@dataclass(frozen=True)
class Case:
    allow: frozenset[str]
    label: str = ""
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    method: str | None = None  # None: GET, or the API operation's own method(s)
    query: str = ""
    expect: Mapping[str, int | str] = field(default_factory=dict)  # role -> exact outcome
    data: Mapping[str, Any] | None = None  # the body: form fields, or JSON under /api/


def case(
    allow,
    label: str = "",
    *,
    method: str | None = None,
    query: str = "",
    expect: int | str | Mapping[str, int | str] | None = None,
    data: Mapping[str, Any] | None = None,
    **kwargs,
) -> Case:
    """One row of the matrix: who is allowed, and how to fill the URL.

    ``kwargs`` are the URL's parameters: plain values, or ``of("...")`` to
    take them from the world. ``expect`` pins an exact status (or
    REDIRECT_TO_SIGN_IN) for every role, or for the roles in a dict.
    """
    if expect is None:
        expect = {}
    elif not isinstance(expect, Mapping):
        expect = dict.fromkeys(ROLES, expect)
    return Case(frozenset(allow), label, kwargs, method, query, expect, data)


# ---------------------------------------------------------------------------
# The table. Every URL name in the URL conf must be here (admin:* URLs are
# covered by ADMIN_RULE, with exceptions in ADMIN_EXCEPTIONS).
# ---------------------------------------------------------------------------

URLS: dict[str, list[Case]] = {
    # Public pages.
    "pages:home": [case(EVERYONE)],
    "pages:accessibility": [case(EVERYONE)],
    "pages:privacy": [case(EVERYONE)],
    "pages:healthcheck": [case(EVERYONE)],
    "pages:dashboard": [case(SIGNED_IN)],
    # Your account.
    "accounts:sign-in": [case(EVERYONE)],
    "accounts:sign-out": [case(EVERYONE, method="POST")],
    "accounts:password-reset": [case(EVERYONE)],
    "accounts:password-reset-sent": [case(EVERYONE)],
    "accounts:password-reset-confirm": [case(EVERYONE, "bad link", uidb64="MQ", token="not-a-real-token")],
    "accounts:password-reset-complete": [case(EVERYONE)],
    "accounts:profile": [case(SIGNED_IN)],
    "accounts:password-change": [case(SIGNED_IN)],
    "accounts:tokens": [case(SIGNED_IN)],
    "accounts:revoke-token": [
        # Only your own token can be found; anyone else's is "not found".
        case({"member"}, "member's token", method="POST", token_id=of("member_token.pk")),
    ],
    # Two-factor sign-in: anyone signed in may set it up; those whose roles need it
    # (TWO_FACTOR: the personas count as having entered a code) may not turn it off.
    "accounts:two-factor": [case(SIGNED_IN)],
    "accounts:two-factor-set-up": [case(SIGNED_IN)],
    "accounts:two-factor-code": [case(SIGNED_IN)],
    "accounts:two-factor-recovery-codes": [case(SIGNED_IN, method="POST")],
    "accounts:two-factor-turn-off": [case(SIGNED_IN - TWO_FACTOR, method="POST")],
    "accounts:my-data": [case(SIGNED_IN)],
    "accounts:download-my-data": [case(SIGNED_IN)],
    # Organisations.
    "organisations:list": [case(SIGNED_IN)],
    "organisations:detail": [
        case(VIEW_ORG, "shared", slug=ORG),
        case(PLATFORM, "unshared", slug=UNSHARED),
        case(OTHER_ORG_ADMINS, "other area", slug=OTHER_ORG),
        # The council's people belong to it, so see its own profile (and no other).
        case(COUNCIL_ORG, "own council", slug=COUNCIL),
        case(NOBODY, "missing", slug="no-such-organisation"),
    ],
    "organisations:edit": [
        case(ADMIN_ORG, "shared", slug=ORG),
        case(PLATFORM, "unshared", slug=UNSHARED),
        case(OTHER_ORG_ADMINS, "other area", slug=OTHER_ORG),
    ],
    "organisations:people": [
        case(ADMIN_ORG, "shared", slug=ORG),
        case(PLATFORM, "unshared", slug=UNSHARED),
        case(OTHER_ORG_ADMINS, "other area", slug=OTHER_ORG),
    ],
    "organisations:revoke-invitation": [
        case(ADMIN_ORG, "own", method="POST", slug=ORG, invitation_id=of("invitation.pk")),
        # Another organisation's invitation, through your own organisation's address.
        case(NOBODY, "other org's", method="POST", slug=ORG, invitation_id=of("other_invitation.pk")),
    ],
    "organisations:remove-member": [
        case(ADMIN_ORG, "own", method="POST", slug=ORG, grant_id=of("membership.pk")),
        case(NOBODY, "other org's", method="POST", slug=ORG, grant_id=of("other_membership.pk")),
        case(OTHER_ORG_ADMINS, "other area", method="POST", slug=OTHER_ORG, grant_id=of("other_membership.pk")),
        # A role that is not a membership (a commissioner's) cannot be removed here.
        case(NOBODY, "not a membership", method="POST", slug=COUNCIL, grant_id=of("commissioner_grant.pk")),
    ],
    "organisations:sharing": [
        case(ADMIN_ORG, "shared", slug=ORG),
        case(PLATFORM, "unshared", slug=UNSHARED),
        case(OTHER_ORG_ADMINS, "other area", slug=OTHER_ORG),
    ],
    "organisations:revoke-grant": [
        case(ADMIN_ORG, "own", method="POST", slug=ORG, grant_id=of("grant.pk")),
        case(NOBODY, "other org's", method="POST", slug=ORG, grant_id=of("other_grant.pk")),
    ],
    "organisations:audit": [
        case(ADMIN_ORG, "shared", slug=ORG),
        case(PLATFORM, "unshared", slug=UNSHARED),
        case(OTHER_ORG_ADMINS, "other area", slug=OTHER_ORG),
    ],
    "organisations:accept-invitation": [
        case(NOBODY, "bad token", token="not-a-real-invitation", expect=410),
        # A real invitation to a new address: signed out you may sign up;
        # signed in as someone else you are told it is not yours.
        case({"anonymous"}, "for someone new", token=of("invitation_token"), expect=dict.fromkeys(SIGNED_IN, 403)),
    ],
    # Council areas: aggregated figures, for that area's commissioners only.
    "insight:area-page": [
        case(COMMISSIONERS, "own area", code=of("area.code")),
        case(PLATFORM, "other area", code=of("other_area.code")),
        case(NOBODY, "missing", code="E00000000"),
    ],
    # Readiness assessments: /organisations/<slug>/assessments/...
    "readiness:list": [
        case(VIEW_ORG, "shared", slug=ORG),
        case(PLATFORM, "unshared", slug=UNSHARED),
        case(OTHER_ORG_ADMINS, "other area", slug=OTHER_ORG),
        # Starting one (POST) is for its admin and the development worker only.
        case(LEADS, "start", method="POST", slug=ORG),
        case(NOBODY, "start unshared", method="POST", slug=UNSHARED),
    ],
    "readiness:assessment": [
        case(VIEW_ORG, "draft", slug=ORG, pk=DRAFT),
        case(VIEW_ORG, "submitted", slug=ORG, pk=SUBMITTED),
        case(PLATFORM, "unshared", slug=UNSHARED, pk=of("unshared_draft.pk")),
        case(OTHER_ORG_ADMINS, "other area", slug=OTHER_ORG, pk=of("other_draft.pk")),
        # Another organisation's assessment, through world.org's address.
        case(NOBODY, "wrong org", slug=ORG, pk=of("unshared_draft.pk")),
    ],
    "readiness:section": [
        case(LEADS, "draft", slug=ORG, pk=DRAFT, section_key=SECTION),
        case(LEADS, "draft POST", method="POST", slug=ORG, pk=DRAFT, section_key=SECTION),
        case(VIEW_ORG, "submitted", slug=ORG, pk=SUBMITTED, section_key=SECTION),  # sent to the results
        case(NOBODY, "no such section", slug=ORG, pk=DRAFT, section_key="no-such-section"),
    ],
    "readiness:check": [
        case(LEADS, "draft", slug=ORG, pk=DRAFT),
        case(VIEW_ORG, "submitted", slug=ORG, pk=SUBMITTED),  # sent to the results
    ],
    "readiness:submit": [
        case(LEADS, "draft", method="POST", slug=ORG, pk=DRAFT),
        case(NOBODY, "unshared", method="POST", slug=UNSHARED, pk=of("unshared_draft.pk")),
    ],
    "readiness:results": [
        case(VIEW_ORG, "submitted", slug=ORG, pk=SUBMITTED),
        case(VIEW_ORG, "draft", slug=ORG, pk=DRAFT),
        case(PLATFORM, "unshared", slug=UNSHARED, pk=of("unshared_draft.pk")),
    ],
    "readiness:radar": [
        case(VIEW_ORG, "submitted", slug=ORG, pk=SUBMITTED),
        case(OTHER_ORG_ADMINS, "other area", slug=OTHER_ORG, pk=of("other_draft.pk")),
    ],
    "readiness:respondents": [
        case(VIEW_ORG, "draft", slug=ORG, pk=DRAFT),
        case(LEADS, "add", method="POST", slug=ORG, pk=DRAFT),
    ],
    "readiness:remove-respondent": [
        case(LEADS, "draft", method="POST", slug=ORG, pk=DRAFT, respondent_id=of("respondent.pk")),
        # A respondent of another assessment, through this one's address.
        case(NOBODY, "other's", method="POST", slug=ORG, pk=DRAFT, respondent_id=of("other_respondent.pk")),
    ],
    "readiness:compare": [
        case(VIEW_ORG, "draft", slug=ORG, pk=DRAFT),
        case(PLATFORM, "unshared", slug=UNSHARED, pk=of("unshared_draft.pk")),
    ],
    "readiness:my-answers": [
        case(RESPONDENT, "draft", slug=ORG, pk=DRAFT),
        case({"outsider"}, "other area", slug=OTHER_ORG, pk=of("other_draft.pk")),  # its respondent
    ],
    "readiness:my-section": [
        case(RESPONDENT, "draft", slug=ORG, pk=DRAFT, section_key=SECTION),
        case(RESPONDENT, "draft POST", method="POST", slug=ORG, pk=DRAFT, section_key=SECTION),
    ],
    # Action plans: /organisations/<slug>/plan/...
    "plans:plan": [
        case(VIEW_ORG, "shared", slug=ORG),
        case(VIEW_ORG, "filtered", slug=ORG, query="show=overdue"),
        case(PLATFORM, "unshared", slug=UNSHARED),
        case(OTHER_ORG_ADMINS, "other area", slug=OTHER_ORG),
    ],
    "plans:add": [
        case(CHANGE_PLAN, "shared", slug=ORG),
        case(CHANGE_PLAN, "shared POST", method="POST", slug=ORG, data={"title": "A step from the matrix"}),
        case(NOBODY, "unshared", slug=UNSHARED),
        case({"outsider"}, "other area", slug=OTHER_ORG),
    ],
    "plans:action": [
        case(VIEW_ORG, "own", slug=ORG, pk=of("action.pk")),
        case(CHANGE_PLAN, "note", method="POST", slug=ORG, pk=of("action.pk"), data={"text": "A note"}),
        case(PLATFORM, "unshared", slug=UNSHARED, pk=of("unshared_action.pk")),
        # Another organisation's action, through world.org's address.
        case(NOBODY, "wrong org", slug=ORG, pk=of("other_action.pk")),
    ],
    "plans:edit": [
        case(CHANGE_PLAN, "own", slug=ORG, pk=of("action.pk")),
        case(CHANGE_PLAN, "own POST", method="POST", slug=ORG, pk=of("action.pk"), data={"title": "Changed"}),
        case(NOBODY, "unshared", slug=UNSHARED, pk=of("unshared_action.pk")),
        case(NOBODY, "wrong org", slug=ORG, pk=of("other_action.pk")),
    ],
    "plans:remove": [
        case(CHANGE_PLAN, "own", slug=ORG, pk=of("action.pk")),
        case(CHANGE_PLAN, "own POST", method="POST", slug=ORG, pk=of("action.pk")),
        case({"outsider"}, "other area", method="POST", slug=OTHER_ORG, pk=of("other_action.pk")),
        case(NOBODY, "wrong org", method="POST", slug=ORG, pk=of("other_action.pk")),
    ],
    "plans:decide": [
        case(CHANGE_PLAN, "suggestion", method="POST", slug=ORG, pk=of("suggestion.pk"), data={"decision": "drop"}),
        case(NOBODY, "unshared", method="POST", slug=UNSHARED, pk=of("unshared_action.pk"), data={"decision": "drop"}),
    ],
    "plans:decide-group": [
        case(CHANGE_PLAN, "suggestions", method="POST", slug=ORG, data={"decision": "drop", "action": ["1"]}),
        case(NOBODY, "unshared", method="POST", slug=UNSHARED, data={"decision": "drop", "action": ["1"]}),
    ],
    "plans:move": [
        case(CHANGE_PLAN, "own", method="POST", slug=ORG, pk=of("action.pk"), data={"direction": "up"}),
        case(NOBODY, "wrong org", method="POST", slug=ORG, pk=of("other_action.pk"), data={"direction": "up"}),
    ],
    "plans:targets": [
        case(CHANGE_PLAN, "submitted", slug=ORG, pk=SUBMITTED),
        case(CHANGE_PLAN, "submitted POST", method="POST", slug=ORG, pk=SUBMITTED),
        case(NOBODY, "draft", slug=ORG, pk=DRAFT),  # no targets before submission
        case(NOBODY, "wrong org", slug=ORG, pk=of("unshared_draft.pk")),
    ],
    # Progress over time: /organisations/<slug>/history/...
    "progress:history": [
        case(VIEW_ORG, "shared", slug=ORG),
        case(PLATFORM, "unshared", slug=UNSHARED),
        case(OTHER_ORG_ADMINS, "other area", slug=OTHER_ORG),
        case(NOBODY, "missing", slug="no-such-organisation"),
    ],
    "progress:trend-chart": [
        case(VIEW_ORG, "submitted", slug=ORG, instrument_key="health-check"),
        # Nothing submitted with that instrument: no chart, for anyone.
        case(NOBODY, "never submitted", slug=ORG, instrument_key="workforce-ladder"),
        case(NOBODY, "unshared", slug=UNSHARED, instrument_key="health-check"),
    ],
    "progress:actions-chart": [
        case(VIEW_ORG, "shared", slug=ORG),
        case(PLATFORM, "unshared", slug=UNSHARED),
        case(OTHER_ORG_ADMINS, "other area", slug=OTHER_ORG),
    ],
    # A development worker's caseload: members of a support and development organisation only.
    "caseload:caseload": [
        case({"worker"}, "plain"),
        case({"worker"}, "sorted and filtered", query="sort=score&order=descending&type=voluntary&only=overdue&name=c"),
        case({"worker"}, "bad values", query="sort=size&order=up&type=council&only=everything"),
    ],
    # Readiness reports: /organisations/<slug>/assessments/<pk>/report/ and its
    # downloads, for whoever may see the results. A draft has no report yet:
    # 409 for those people, refused (404) for everyone else.
    **{
        f"reports:{name}": [
            case(VIEW_ORG, "submitted", slug=ORG, pk=SUBMITTED),
            case(NOBODY, "draft", slug=ORG, pk=DRAFT, expect=dict.fromkeys(VIEW_ORG, 409)),
            case(NOBODY, "unshared", slug=UNSHARED, pk=of("unshared_draft.pk"), expect={"platform": 409}),
            case(NOBODY, "wrong org", slug=ORG, pk=of("unshared_draft.pk")),
        ]
        for name in ("report", "pdf", "docx", "xlsx", "answers-csv", "plan-csv")
    },
    # Area insight: England for commissioners, development workers and the platform; an area for its
    # commissioners; the organisations sharing with a support organisation for its workers.
    "insight:index": [case(INSIGHT)],
    "insight:england": [case(INSIGHT), case(INSIGHT, "filtered", query="type=voluntary&step=2")],
    "insight:england-chart": [case(INSIGHT, name="trend"), case(NOBODY, "no such chart", name="pie")],
    "insight:england-report": [case(INSIGHT, fmt="xlsx"), case(INSIGHT, fmt="pdf"), case(NOBODY, fmt="docx")],
    "insight:area": [
        case(COMMISSIONERS, "own area", code=of("area.code")),
        case(PLATFORM, "other area", code=of("other_area.code")),
        case(NOBODY, "missing", code="E00000000"),
    ],
    "insight:area-chart": [
        case(COMMISSIONERS, "own area", code=of("area.code"), name="sections"),
        case(PLATFORM, "other area", code=of("other_area.code"), name="levels"),
    ],
    "insight:area-report": [
        case(COMMISSIONERS, "own area", code=of("area.code"), fmt="xlsx"),
        case(PLATFORM, "other area", code=of("other_area.code"), fmt="pdf"),
    ],
    "insight:shared": [
        case(SUPPORT_WORKERS, "own", slug=of("support_org.slug")),
        case(NOBODY, "not a support organisation", slug=ORG),
    ],
    "insight:shared-chart": [case(SUPPORT_WORKERS, "own", slug=of("support_org.slug"), name="levels")],
    "insight:shared-report": [case(SUPPORT_WORKERS, "own", slug=of("support_org.slug"), fmt="xlsx")],
    "insight:standing": [
        case(VIEW_ORG, "shared", slug=ORG),
        case(PLATFORM, "unshared", slug=UNSHARED),
        case(OTHER_ORG_ADMINS, "other area", slug=OTHER_ORG),
        case(COUNCIL_ORG, "own council", slug=COUNCIL),
    ],
    # Roles: who holds what, given and ended by council administrators (over
    # their area) and platform administrators (over the service).
    "access:roles": [case(COUNCIL_ADMINS)],
    "access:platform-roles": [
        case(PLATFORM),
        case(PLATFORM, "give", method="POST", data={"email": "member@carers.example", "role": "directory_moderator"}),
    ],
    "access:area-roles": [
        case(COUNCIL_ADMINS, "own area", code=of("area.code")),
        case(
            COUNCIL_ADMINS,
            "give",
            method="POST",
            code=of("area.code"),
            data={"user": of("team_manager.pk"), "role": "commissioner"},
        ),
        case(PLATFORM, "other area", code=of("other_area.code")),
        case(NOBODY, "missing", code="E00000000"),
    ],
    "access:end-role": [
        case(COUNCIL_ADMINS, "council role", method="POST", grant_id=of("commissioner_grant.pk")),
        case(PLATFORM, "council administrator", method="POST", grant_id=of("council_admin_grant.pk")),
        case(PLATFORM, "over the service", method="POST", grant_id=of("moderator_grant.pk")),
        case(PLATFORM, "other area", method="POST", grant_id=of("other_area_grant.pk")),
        case(NOBODY, "a membership", method="POST", grant_id=of("membership.pk")),
        case(NOBODY, "missing", method="POST", grant_id=0),
    ],
    # People's records: /people/...
    "people:list": [case(HAS_RECORDS)],
    "people:create": [
        case(KEEPS_RECORDS),
        case(KEEPS_RECORDS, "POST", method="POST", data={"given_name": "Ada", "family_name": "Moss"}),
    ],
    "people:record": [
        case(SAM, "own", pk=OWN_RECORD, expect=GIVE_A_REASON),
        case(ROSE, "cared for", pk=CARED_FOR, expect=GIVE_A_REASON),
        case(NOBODY, "missing", pk="00000000-0000-0000-0000-000000000000"),
    ],
    "people:edit": [
        case(SAM, "own", pk=OWN_RECORD, expect=GIVE_A_REASON),
        case(
            ROSE,
            "cared for POST",
            method="POST",
            pk=CARED_FOR,
            data={"given_name": "Rose", "family_name": "Ellis"},
            expect=GIVE_A_REASON,
        ),
    ],
    "people:reason": [
        # Those who may read it anyway are sent to the record.
        case(REASON_ROLES | SAM, "own", pk=OWN_RECORD),
        case(
            REASON_ROLES | ROSE, "POST", method="POST", pk=CARED_FOR, data={"reason": "Covering for a colleague today."}
        ),
    ],
    "people:supporters": [
        case(SAM, "own", pk=OWN_RECORD, expect=GIVE_A_REASON),
        case(ROSE, "cared for", pk=CARED_FOR, expect=GIVE_A_REASON),
        # Adding one: the person, or a practitioner (whose form asks for the consent: 200 with errors).
        case(
            SAM,
            "add",
            method="POST",
            pk=OWN_RECORD,
            data={"name": "Nadia", "email": "nadia@people.example", "kind": "family"},
            expect=GIVE_A_REASON,
        ),
    ],
    "people:end-supporter": [
        case({"practitioner"}, "Rose's carer", method="POST", pk=CARED_FOR, supporter_id=of("carer_supporter.pk")),
        # Rose's carer, through Sam's address.
        case(NOBODY, "wrong record", method="POST", pk=OWN_RECORD, supporter_id=of("carer_supporter.pk")),
    ],
    "people:reads": [
        case({"person"}, "own", pk=OWN_RECORD),
        case(NOBODY, "cared for", pk=CARED_FOR),  # her carer may see the record, not act for her
    ],
    "people:invite": [
        case({"practitioner"}, "own", method="POST", pk=OWN_RECORD),
        case({"practitioner"}, "cared for", method="POST", pk=CARED_FOR),
    ],
    # Allocating a council's records to its teams: its team managers and council administrators.
    "people:teams": [
        case({"council_admin", "team_manager"}, code=EASTMERE),
        # Nothing chosen: the form again with its errors (200).
        case({"council_admin", "team_manager"}, "nothing chosen", method="POST", code=EASTMERE),
        case(NOBODY, "another council", code="E99000002"),
    ],
    "people:accept-invitation": [case(NOBODY, "bad token", token="not-a-real-invitation", expect=410)],
    # Self-directed support: /people/<pk>/eligibility/, /self-assessment/, /budget/ (personfirst/sds).
    # Whoever reads the record sees them; other council roles give a reason first (302).
    "eligibility:decisions": [
        case(SAM, "own", pk=OWN_RECORD, expect=GIVE_A_REASON),
        case(ROSE, "cared for", pk=CARED_FOR, expect=GIVE_A_REASON),
    ],
    "eligibility:screen": [
        case({"practitioner"}, "adult", pk=OWN_RECORD, kind="adult", expect=GIVE_A_REASON),
        case({"practitioner"}, "carer", pk=CARED_FOR, kind="carer", expect=GIVE_A_REASON),
        case(
            {"practitioner"},
            "POST",
            method="POST",
            pk=OWN_RECORD,
            kind="adult",
            data={
                "condition": "yes",
                "unable": ["toilet", "hygiene"],
                "wellbeing": "yes",
                "notes": "Seen at home today.",
            },
            expect=GIVE_A_REASON,
        ),
        case(NOBODY, "no such kind", pk=OWN_RECORD, kind="child"),
    ],
    "eligibility:decision": [
        case(SAM, "own", pk=OWN_RECORD, decision_id=of("sam_decision.pk"), expect=GIVE_A_REASON),
        # Sam's decision through Rose's address.
        case(NOBODY, "wrong record", pk=CARED_FOR, decision_id=of("sam_decision.pk"), expect=GIVE_A_REASON),
    ],
    "selfassessment:list": [
        case(SAM, "own", pk=OWN_RECORD, expect=GIVE_A_REASON),
        case(ROSE, "cared for", pk=CARED_FOR, expect=GIVE_A_REASON),
        # Starting (or carrying on): the person, supporters who may change the record, the practitioner.
        case(ROSE, "start", method="POST", pk=CARED_FOR, expect=GIVE_A_REASON),
    ],
    "selfassessment:check": [
        case(SAM, "agreed", pk=OWN_RECORD, sa_id=of("sam_sa.pk"), expect=GIVE_A_REASON),
        case(ROSE, "draft", pk=CARED_FOR, sa_id=of("rose_sa.pk"), expect=GIVE_A_REASON),
        # Sending it: Rose's carer (it is refused with a message while questions are left: 302).
        case({"carer"}, "send", method="POST", pk=CARED_FOR, sa_id=of("rose_sa.pk"), expect=GIVE_A_REASON),
        # Rose's self-assessment through Sam's address.
        case(NOBODY, "wrong record", pk=OWN_RECORD, sa_id=of("rose_sa.pk"), expect=GIVE_A_REASON),
    ],
    "selfassessment:question": [
        # The practitioner is sent to the answers (they review; they do not answer for the person).
        case(ROSE, "draft", pk=CARED_FOR, sa_id=of("rose_sa.pk"), question="washing", expect=GIVE_A_REASON),
        case(
            {"carer"},
            "answer",
            method="POST",
            pk=CARED_FOR,
            sa_id=of("rose_sa.pk"),
            question="washing",
            data={"answer": "all"},
            expect=GIVE_A_REASON,
        ),
        case(NOBODY, "no such question", pk=CARED_FOR, sa_id=of("rose_sa.pk"), question="nope", expect=GIVE_A_REASON),
    ],
    "selfassessment:review": [
        # Agreed already: the practitioner is sent to the answers.
        case(
            {"practitioner"}, "agreed", pk=OWN_RECORD, sa_id=of("sam_sa.pk"), question="washing", expect=GIVE_A_REASON
        ),
    ],
    "selfassessment:agree": [
        # Not waiting to be agreed: refused with a message (302 to the answers).
        case({"practitioner"}, "agreed", method="POST", pk=OWN_RECORD, sa_id=of("sam_sa.pk"), expect=GIVE_A_REASON),
    ],
    # Every council's RAS in force is open to everyone, and so is every published version.
    "allocation:ras": [case(EVERYONE)],
    "allocation:council-ras": [case(EVERYONE, "Eastmere", code=EASTMERE), case(EVERYONE, "none", code="E99000002")],
    # A council's versions, drafts and publishing: its council administrators only (allocation/rules.py).
    "allocation:versions": [case(RAS_ADMIN, code=EASTMERE), case(NOBODY, "another council", code="E99000002")],
    "allocation:upload": [
        case(RAS_ADMIN, code=EASTMERE),
        # No file: the form again, with its error summary (200).
        case(RAS_ADMIN, "no file", method="POST", code=EASTMERE),
    ],
    "allocation:version": [
        case(EVERYONE, "published", code=EASTMERE, version_id=RAS_V1),
        case(RAS_ADMIN, "draft", code=EASTMERE, version_id=RAS_DRAFT),
        case(NOBODY, "another council's address", code="E99000002", version_id=RAS_V1),
    ],
    "allocation:impact": [case(RAS_ADMIN, "draft", code=EASTMERE, version_id=RAS_DRAFT)],
    "allocation:publish": [
        case(RAS_ADMIN, "draft", code=EASTMERE, version_id=RAS_DRAFT),
        # A date in the past: the form again with its error (200); nothing is published.
        case(RAS_ADMIN, "past date", method="POST", code=EASTMERE, version_id=RAS_DRAFT, data=PAST_DATE),
        # Published already: sent back to the version (302).
        case(RAS_ADMIN, "published", code=EASTMERE, version_id=RAS_V1),
    ],
    "allocation:budgets": [
        case(SAM, "own", pk=OWN_RECORD, expect=GIVE_A_REASON),
        case(ROSE, "cared for", pk=CARED_FOR, expect=GIVE_A_REASON),
    ],
    "allocation:budget": [
        case(SAM, "own", pk=OWN_RECORD, budget_id=of("sam_budget.pk"), expect=GIVE_A_REASON),
        case(NOBODY, "wrong record", pk=CARED_FOR, budget_id=of("sam_budget.pk"), expect=GIVE_A_REASON),
    ],
    # RAS calibration (personfirst/sds/calibration): the area's council administrators only
    # (not the platform's). A checked file is its uploader's alone.
    "calibration:imports": [
        case(CALIBRATES, "own area", code=AREA),
        case(NOBODY, "other area", code=of("other_area.code")),
        case(NOBODY, "missing", code="E00000000"),
    ],
    "calibration:upload": [
        case(CALIBRATES, "own area", code=AREA),
        case(CALIBRATES, "no file", method="POST", code=AREA),  # the form again, with its message
    ],
    "calibration:report": [
        case(CALIBRATES, "own", code=AREA, upload_id=of("calibration_upload.pk")),
        case(
            CALIBRATES,
            "give up",
            method="POST",
            code=AREA,
            upload_id=of("calibration_upload.pk"),
            data={"action": "give-up"},
        ),
        case(NOBODY, "other area", code=of("other_area.code"), upload_id=of("calibration_upload.pk")),
    ],
    "calibration:fit": [
        case(CALIBRATES, "own", code=AREA, import_id=CALIBRATION),
        case(CALIBRATES, "bands", code=AREA, import_id=CALIBRATION, query="bands=0,10,20"),
        case(NOBODY, "other area", code=of("other_area.code"), import_id=CALIBRATION),
    ],
    "calibration:fit-chart": [case(CALIBRATES, "own", code=AREA, import_id=CALIBRATION)],
    "calibration:equity": [case(CALIBRATES, "own", code=AREA, import_id=CALIBRATION)],
    # The directory: public search and service pages (no sign-in) ...
    "search:search": [
        case(EVERYONE),
        case(
            EVERYONE,
            "filtered",
            query="q=day+centre&goal=see+friends&postcode=NR1+1AE&distance=5&theme=things-to-do&only=budget&max_price=50&page=2",
        ),
        case(EVERYONE, "bad postcode", query="postcode=XX&distance=5&max_price=lots"),
    ],
    "search:service": [
        case(EVERYONE, "published", service_id=of("listed.pk")),
        case(NOBODY, "missing", service_id=NO_SUCH_UUID, expect=404),
    ],
    # ... a provider's entries (its "Directory" tab) ...
    "directory:provider": [
        case(DIRECTORY_VIEW, "own", slug=ORG),
        case({"outsider", "moderator", "platform"}, "other area", slug=OTHER_ORG),
    ],
    "directory:add": [
        case(PROVIDER_EDITORS, "own", slug=ORG),
        case(PROVIDER_EDITORS, "own POST (not valid)", method="POST", slug=ORG, data={"name": ""}),
        case({"outsider"}, "other area", slug=OTHER_ORG),
    ],
    "directory:edit": [
        case(PROVIDER_EDITORS, "own", slug=ORG, service_id=of("listed.pk")),
        # Another provider's service, through world.org's address.
        case(NOBODY, "other org's", slug=ORG, service_id=of("other_service.pk")),
    ],
    "directory:submission": [
        case(DIRECTORY_VIEW, "own", slug=ORG, pk=of("submission.pk")),
        case(NOBODY, "other org's", slug=ORG, pk=of("other_submission.pk")),
    ],
    "directory:confirm": [
        case(PROVIDER_EDITORS, "own", service_id=of("listed.pk")),
        case(PROVIDER_EDITORS, "own POST", method="POST", service_id=of("listed.pk")),
        case({"outsider"}, "other area", service_id=of("other_service.pk")),
    ],
    # ... moderation ...
    "directory:queue": [case(MODERATION)],
    "directory:review": [
        case(MODERATION, "waiting", pk=of("submission.pk")),
        case(
            MODERATOR, "ask", method="POST", pk=of("submission.pk"), data={"decision": "ask", "reasons": "Which days?"}
        ),
        case(MODERATOR, "not valid", method="POST", pk=of("submission.pk"), data={"decision": "reject"}),
        case(NOBODY, "missing", pk=999999),
    ],
    # ... and the Open Referral UK API (/oruk/): open to everyone.
    "oruk:root": [case(EVERYONE)],
    "oruk:api-root": [case(EVERYONE)],
    "oruk:openapi-json": [case(EVERYONE)],
    "oruk:services": [case(EVERYONE), case(EVERYONE, "filtered", query="search=day&per_page=5&minimum_age=60")],
    "oruk:service": [
        case(EVERYONE, "published", id=of("listed.pk")),
        case(NOBODY, "missing", id=NO_SUCH_UUID, expect=404),
        case(NOBODY, "not an id", id="nothing", expect=404),
    ],
    "oruk:service_at_locations": [
        case(EVERYONE),
        case(EVERYONE, "near", query="postcode=NR1+1AE&proximity=5000"),
        case(NOBODY, "bad postcode", query="postcode=XX", expect=400),
    ],
    "oruk:service_at_location": [
        case(EVERYONE, "published", id=of("listed_link.pk")),
        case(NOBODY, "missing", id=NO_SUCH_UUID, expect=404),
    ],
    "oruk:organizations": [case(EVERYONE)],
    "oruk:organization": [
        case(EVERYONE, "listed", id=of("listed.provider_id")),
        case(NOBODY, "missing", id=NO_SUCH_UUID, expect=404),
    ],
    "oruk:taxonomies": [case(EVERYONE)],
    "oruk:taxonomy": [
        case(EVERYONE, "themes", id=of("themes_id")),
        case(NOBODY, "missing", id=NO_SUCH_UUID, expect=404),
    ],
    "oruk:taxonomy_terms": [case(EVERYONE)],
    "oruk:taxonomy_term": [
        case(EVERYONE, "a theme", id=of("theme_term_id")),
        case(NOBODY, "missing", id=NO_SUCH_UUID, expect=404),
    ],
    "oruk-not-found": [case(NOBODY, rest="no-such-thing", expect=404)],
    # The API (/api/v1/).
    "api:api-root": [case(NOBODY, expect=404)],  # nothing there: no interactive docs
    "api:openapi-json": [case(EVERYONE)],
    "api:me": [case(SIGNED_IN)],
    "api:list_organisations": [case(SIGNED_IN)],
    "api:get_organisation": [
        case(VIEW_ORG, "shared", slug=ORG),
        case(PLATFORM, "unshared", slug=UNSHARED),
        case(OTHER_ORG_ADMINS, "other area", slug=OTHER_ORG),
        case(COUNCIL_ORG, "own council", slug=COUNCIL),
        case(NOBODY, "missing", slug="no-such-organisation"),
    ],
    "api:update_organisation": [
        case(ADMIN_ORG, "shared", slug=ORG),
        case(PLATFORM, "unshared", slug=UNSHARED),
        case(OTHER_ORG_ADMINS, "other area", slug=OTHER_ORG),
    ],
    "api:list_instruments": [case(SIGNED_IN)],
    # Your own API tokens: everyone sees their own list; only the member's token is theirs to revoke.
    "api:list_tokens": [case(SIGNED_IN)],
    "api:revoke_token": [case({"member"}, "member's token", token_id=of("member_token.pk"))],
    "api:list_people": [case(HAS_RECORDS)],
    "api:create_person": [
        # In Eastmere: its practitioner; the outsider (Westholm's) is told to give one of their own areas.
        case(
            {"practitioner"},
            data={"council_area": "E99000001", "given_name": "Ada", "family_name": "Moss"},
            expect={"outsider": 422},
        ),
    ],
    "api:get_person": [
        case(SAM, "own", person_id=OWN_RECORD),
        case(ROSE, "cared for", person_id=CARED_FOR),
    ],
    "api:list_supporters": [
        case(SAM, "own", person_id=OWN_RECORD),
        case(ROSE, "cared for", person_id=CARED_FOR),
    ],
    # Self-directed support (personfirst/sds/selfassessment/api.py). Other council roles get 403:
    # they give a reason on the record's page first.
    "api:list_self_assessments": [
        case(SAM, "own", person_id=OWN_RECORD),
        case(ROSE, "cared for", person_id=CARED_FOR),
    ],
    "api:start_self_assessment": [
        # Rose has one being filled in: it is the one returned.
        case({"carer", "practitioner"}, "cared for", person_id=CARED_FOR),
    ],
    "api:answer_self_assessment": [
        case(
            {"carer"}, "draft", person_id=CARED_FOR, sa_id=of("rose_sa.pk"), question="washing", data={"answer": "all"}
        ),
        # Sam's is agreed: he is told so (409).
        case(
            {"person"},
            "agreed",
            person_id=OWN_RECORD,
            sa_id=of("sam_sa.pk"),
            question="washing",
            data={"answer": "all"},
            expect={"person": 409},
        ),
    ],
    "api:submit_self_assessment": [
        # Questions are left: 422 naming how many.
        case({"carer"}, "draft", person_id=CARED_FOR, sa_id=of("rose_sa.pk"), expect={"carer": 422}),
    ],
    "api:agree_self_assessment": [
        case(
            {"practitioner"},
            "agreed",
            person_id=OWN_RECORD,
            sa_id=of("sam_sa.pk"),
            data={"revision": 0},
            expect={"practitioner": 409},
        ),
    ],
    "api:list_budgets": [
        case(SAM, "own", person_id=OWN_RECORD),
        case(ROSE, "cared for", person_id=CARED_FOR),
    ],
    # RAS calibration (personfirst/sds/calibration/api.py): the area's council administrators only.
    "api:list_calibration_imports": [
        case(CALIBRATES, "own area", code=AREA),
        case(NOBODY, "other area", code=of("other_area.code")),
    ],
    "api:check_calibration_file": [
        case(CALIBRATES, "own area", code=AREA, data={"file_name": "p.csv", "content": "points\n1\n"}),
    ],
    "api:import_calibration_file": [
        # The waiting file has a header only: nothing to import (422).
        case(
            CALIBRATES,
            "nothing to import",
            code=AREA,
            upload_id=of("calibration_upload.pk"),
            data={"good_rows": 1},
            expect={"council_admin": 422},
        ),
    ],
    "api:give_up_calibration_file": [case(CALIBRATES, "own", code=AREA, upload_id=of("calibration_upload.pk"))],
    "api:get_calibration_fit": [
        case(CALIBRATES, "own", code=AREA, import_id=CALIBRATION),
        case(NOBODY, "other area", code=of("other_area.code"), import_id=CALIBRATION),
    ],
    "api:get_calibration_equity": [case(CALIBRATES, "own", code=AREA, import_id=CALIBRATION)],
    # A council's RAS versions (personfirst/sds/allocation/api.py): published ones to anyone signed in,
    # drafts, uploading, the impact preview and publishing to its council administrators.
    "api:list_ras_versions": [case(SIGNED_IN, code=EASTMERE), case(NOBODY, "no such council", code="E00000000")],
    "api:get_ras_version": [
        case(SIGNED_IN, "published", code=EASTMERE, version_id=RAS_V1),
        case(RAS_ADMIN, "draft", code=EASTMERE, version_id=RAS_DRAFT),
    ],
    "api:upload_ras_version": [
        # Not a RAS file: 422 naming the problems.
        case(NOBODY, code=EASTMERE, data={"source": "ras: x"}, expect={"council_admin": 422}),
    ],
    "api:preview_ras_impact": [case(RAS_ADMIN, code=EASTMERE, version_id=RAS_DRAFT)],
    "api:publish_ras_version": [
        case(
            NOBODY,
            "past date",
            code=EASTMERE,
            version_id=RAS_DRAFT,
            data={"effective_from": "2020-01-01"},
            expect={"council_admin": 422},
        ),
        case(
            NOBODY,
            "published",
            code=EASTMERE,
            version_id=RAS_V1,
            data={"effective_from": "2099-01-01"},
            expect={"council_admin": 409},
        ),
    ],
    "api:list_record_reads": [
        case({"person"}, "own", person_id=OWN_RECORD),
        case(NOBODY, "cared for", person_id=CARED_FOR),
    ],
    "api:list_assessments": [
        case(VIEW_ORG, "shared", slug=ORG),
        case(PLATFORM, "unshared", slug=UNSHARED),
        case(OTHER_ORG_ADMINS, "other area", slug=OTHER_ORG),
    ],
    "api:start_assessment": [
        case(LEADS, "shared", slug=ORG, data={"instrument": "health-check"}),
        case(NOBODY, "unshared", slug=UNSHARED, data={"instrument": "health-check"}),
        case({"outsider"}, "other area", slug=OTHER_ORG, data={"instrument": "health-check"}),
    ],
    "api:get_assessment": [
        case(VIEW_ORG, "draft", pk=DRAFT),
        case(PLATFORM, "unshared", pk=of("unshared_draft.pk")),
        case(OTHER_ORG_ADMINS, "other area", pk=of("other_draft.pk")),
    ],
    "api:record_answer": [
        case(LEADS, "draft", pk=DRAFT, item_key=of("item_key"), data={}),
        # Submitted: 409 for anyone who may see it.
        case(NOBODY, "submitted", pk=SUBMITTED, item_key=of("item_key"), data={}, expect=dict.fromkeys(VIEW_ORG, 409)),
    ],
    "api:submit_assessment": [
        case(LEADS, "draft", pk=DRAFT),
        case(NOBODY, "submitted", pk=SUBMITTED, expect=dict.fromkeys(VIEW_ORG, 409)),
    ],
    "api:get_scores": [
        case(VIEW_ORG, "submitted", pk=SUBMITTED),
        case(PLATFORM, "unshared", pk=of("unshared_draft.pk")),
    ],
    "api:list_plan_actions": [
        case(VIEW_ORG, "shared", slug=ORG),
        case(VIEW_ORG, "filtered", slug=ORG, query="status=suggested"),
        case(PLATFORM, "unshared", slug=UNSHARED),
        case(OTHER_ORG_ADMINS, "other area", slug=OTHER_ORG),
    ],
    "api:create_plan_action": [
        case(CHANGE_PLAN, "shared", slug=ORG, data={"title": "A step from the matrix"}),
        case(NOBODY, "unshared", slug=UNSHARED, data={"title": "A step from the matrix"}),
        case({"outsider"}, "other area", slug=OTHER_ORG, data={"title": "A step from the matrix"}),
    ],
    "api:get_plan_action": [
        case(VIEW_ORG, "own", pk=of("action.pk")),
        case(PLATFORM, "unshared", pk=of("unshared_action.pk")),
        case(OTHER_ORG_ADMINS, "other area", pk=of("other_action.pk")),
    ],
    "api:update_plan_action": [
        case(CHANGE_PLAN, "own", pk=of("action.pk"), data={"owner": "Sam"}),
        case(NOBODY, "unshared", pk=of("unshared_action.pk"), data={"owner": "Sam"}),
        # A suggestion is accepted before it is changed: 409 for those who may change it.
        case(
            NOBODY, "suggestion", pk=of("suggestion.pk"), data={"owner": "Sam"}, expect=dict.fromkeys(CHANGE_PLAN, 409)
        ),
    ],
    "api:accept_suggestion": [
        case(CHANGE_PLAN, "suggestion", pk=of("suggestion.pk")),
        case(NOBODY, "decided", pk=of("action.pk"), expect=dict.fromkeys(CHANGE_PLAN, 409)),
        case(NOBODY, "unshared", pk=of("unshared_action.pk")),
    ],
    "api:drop_suggestion": [
        case(CHANGE_PLAN, "suggestion", pk=of("suggestion.pk")),
        case(NOBODY, "decided", pk=of("action.pk"), expect=dict.fromkeys(CHANGE_PLAN, 409)),
        case({"outsider"}, "other area", pk=of("other_suggestion.pk")),
    ],
}

# Every admin:* URL: platform administrators only. Signed out, you are sent
# to our sign-in page; signed in as anyone else, it is "not found".
ADMIN_RULE = case(PLATFORM)
ADMIN_EXCEPTIONS: dict[str, list[Case]] = {
    # The admin's own login form is never shown: everyone goes to our sign-in page.
    "admin:login": [case(NOBODY, expect=REDIRECT_TO_SIGN_IN)],
    "admin:logout": [case(PLATFORM, method="POST")],
    "admin:autocomplete": [case(PLATFORM, query="app_label=access&model_name=rolegrant&field_name=user&term=a")],
    # Inside the admin, a ModelAdmin may still refuse a platform administrator
    # an action (403). People join by invitation and leave by erasure; API
    # tokens are issued by their owners and revoked, never deleted.
    "admin:accounts_user_add": [case(NOBODY, expect={"platform": 403})],
    "admin:accounts_user_delete": [case(NOBODY, expect={"platform": 403})],
    "admin:accounts_apitoken_add": [case(NOBODY, expect={"platform": 403})],
    "admin:accounts_apitoken_delete": [case(NOBODY, expect={"platform": 403})],
    # Two-factor devices are set up by their owners; a platform administrator only removes one.
    "admin:otp_totp_totpdevice_add": [case(NOBODY, expect={"platform": 403})],
    "admin:otp_static_staticdevice_add": [case(NOBODY, expect={"platform": 403})],
    # Records are created by practitioners in the service, and never deleted here.
    "admin:people_person_add": [case(NOBODY, expect={"platform": 403})],
    "admin:people_person_delete": [case(NOBODY, expect={"platform": 403})],
    # A role is ended (revoked at), never deleted, so the record of who held it stays.
    "admin:access_rolegrant_delete": [case(NOBODY, expect={"platform": 403})],
    # Directory services and submissions change through moderation and imports only.
    "admin:directory_service_add": [case(NOBODY, expect={"platform": 403})],
    "admin:directory_service_delete": [case(NOBODY, expect={"platform": 403})],
    "admin:directory_submission_add": [case(NOBODY, expect={"platform": 403})],
    "admin:directory_submission_delete": [case(NOBODY, expect={"platform": 403})],
}

# Known defects: expected failures until fixed. They are strict, so once a
# fix makes one pass, the test fails until its line here is removed.
# url name (shell-style pattern) -> (roles, reason)
KNOWN_DEFECTS: dict[str, tuple[frozenset[str], str]] = {}


# ---------------------------------------------------------------------------
# Listing the URL conf.
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    name: str  # "namespace:name"; unnamed patterns are "namespace:<route>"
    route: str  # the full route, with converters, e.g. "organisations/<slug:slug>/"
    methods: tuple[str, ...] | None  # an API operation's HTTP methods; None for other views
    chain: tuple[Any, ...]  # the resolvers' patterns and the pattern's own, outermost first
    callback: Callable

    @property
    def is_api(self) -> bool:
        return self.route.startswith("api/")

    @property
    def is_admin(self) -> bool:
        return self.name.startswith("admin:")


def _ninja_methods(pattern: URLPattern) -> tuple[str, ...] | None:
    """The HTTP methods of a django-ninja operation, or None if the pattern is not one.

    Ninja registers one pattern per operation, all sharing the path's view,
    which dispatches on the method; the operation is found by its url name.
    """
    for cell in getattr(pattern.callback, "__closure__", None) or ():
        path_view = cell.cell_contents
        for operation in getattr(path_view, "operations", ()):
            name = getattr(operation, "url_name", None) or operation.view_func.__name__
            if name == pattern.name:
                return tuple(operation.methods)
    return None


def _walk(resolver: URLResolver, namespace: str = "", chain: tuple = ()) -> Iterator[Endpoint]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(part for part in (namespace, entry.namespace) if part)
            yield from _walk(entry, inner, (*chain, entry.pattern))
        else:
            patterns = (*chain, entry.pattern)
            route = "".join(str(p) for p in patterns)
            local = entry.name or f"<{route}>"
            name = f"{namespace}:{local}" if namespace else local
            yield Endpoint(name, route, _ninja_methods(entry), patterns, entry.callback)


def endpoints() -> list[Endpoint]:
    return list(_walk(get_resolver()))


def cases_for(endpoint: Endpoint) -> list[Case] | None:
    if endpoint.name in URLS:
        return URLS[endpoint.name]
    if endpoint.is_admin:
        return ADMIN_EXCEPTIONS.get(endpoint.name, [ADMIN_RULE])
    return None


# ---------------------------------------------------------------------------
# Filling parameters and building the address.
# ---------------------------------------------------------------------------

_PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>")


def _parameters(endpoint: Endpoint) -> list[str]:
    return [a or b for a, b in _PARAMETER.findall(endpoint.route)]


def _admin_kwargs(endpoint: Endpoint, world) -> dict[str, Any]:
    """Sensible values for the admin's URL parameters."""
    kwargs: dict[str, Any] = {}
    segments = endpoint.route.split("/")
    for name in _parameters(endpoint):
        if name == "object_id" and "content_type_id" in _parameters(endpoint):  # view_on_site
            kwargs["object_id"] = world.org.pk
        elif name == "object_id":
            model = apps.get_model(segments[1], segments[2])
            instance = model._default_manager.order_by("pk").first()
            kwargs[name] = instance.pk if instance else 0
        elif name == "content_type_id":
            kwargs[name] = ContentType.objects.get_for_model(world.org).pk
        elif name == "app_label":
            kwargs[name] = "organisations"
        elif name == "url":  # the catch-all: a known page without its slash
            kwargs[name] = "organisations/organisation"
        else:
            raise AssertionError(f"{endpoint.name}: no rule fills the admin URL parameter {name!r}")
    return kwargs


def _fill(endpoint: Endpoint, the_case: Case, world) -> dict[str, Any]:
    if endpoint.is_admin and endpoint.name not in URLS and not the_case.kwargs:
        return _admin_kwargs(endpoint, world)
    kwargs = {key: value(world) if callable(value) else value for key, value in the_case.kwargs.items()}
    missing = set(_parameters(endpoint)) - set(kwargs)
    assert not missing, f"{endpoint.name}: the matrix does not say how to fill {sorted(missing)}"
    return kwargs


def _substitute(pattern, kwargs: Mapping[str, Any]) -> str:
    text = str(pattern)
    text = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(kwargs[m.group(1)]), text)
    text = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m.group(1)]), text)
    return text.lstrip("^").rstrip("$").replace("\\", "")


def _address(endpoint: Endpoint, kwargs: Mapping[str, Any]) -> str:
    path = "/" + "".join(_substitute(p, kwargs) for p in endpoint.chain)
    match = resolve(path)
    # Patterns sharing a route (API operations on one path) resolve to the first.
    if not endpoint.methods:
        assert match.func is endpoint.callback, f"{endpoint.name}: built {path}, which is another page"
    if ":<" not in endpoint.name:
        assert path == reverse(endpoint.name, kwargs=kwargs), endpoint.name
    return path


# ---------------------------------------------------------------------------
# The tests.
# ---------------------------------------------------------------------------


def _params():
    for endpoint in endpoints():
        cases = cases_for(endpoint)
        if cases is None:
            yield pytest.param(endpoint, None, None, id=f"{endpoint.name}-NO-ENTRY")
            continue
        for index, the_case in enumerate(cases):
            methods = (the_case.method,) if the_case.method else (endpoint.methods or ("GET",))
            label = the_case.label or (str(index) if len(cases) > 1 else "")
            for method in methods:
                for role in ROLES:
                    test_id = "-".join(part for part in (endpoint.name, label, method, role) if part)
                    yield pytest.param(
                        endpoint, the_case, (method, role), id=test_id, marks=_known_defect(endpoint, role)
                    )


def _known_defect(endpoint: Endpoint, role: str) -> list:
    for pattern, (roles, reason) in KNOWN_DEFECTS.items():
        if role in roles and fnmatchcase(endpoint.name, pattern):
            return [pytest.mark.xfail(strict=True, reason=reason)]
    return []


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker):
    """conftest's world, built once for this module inside a transaction
    that is rolled back at the end; each test runs in a savepoint within it
    (pytest-django's ``db``), so what one test changes the next never sees."""
    import conftest

    with django_db_blocker.unblock(), transaction.atomic():
        world = conftest.build_world()
        _add_objects(world)
        _sign_in_everyone(world)
        yield world
        transaction.set_rollback(True)


@pytest.fixture
def matrix_world(shared_world, db):
    return shared_world


def _sign_in_everyone(world) -> None:
    """One session and one API token per persona, made once for the module:
    signing in for each of ~7,000 requests cost a third of the run. A test's
    request may change its session (or sign out): its savepoint undoes that."""
    from personfirst.core.accounts.models import ApiToken

    world.session_keys, world.api_tokens = {}, {}
    for role in ROLES:
        if role == "anonymous":
            continue
        user = getattr(world, role)
        client = Client()
        client.force_login(user)
        verify_session(client, user)  # as conftest's force_login does: a code was entered, for those who need one
        world.session_keys[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
        world.api_tokens[role] = ApiToken.issue(user, "matrix")[1]


def _client_for(world, role: str, is_api: bool) -> Client:
    if role == "anonymous":
        return Client()
    if is_api:
        return Client(HTTP_AUTHORIZATION=f"Bearer {world.api_tokens[role]}")
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = world.session_keys[role]
    return client


def _add_objects(world) -> None:
    """One of each object the URLs point at."""
    from personfirst.core.access.models import RoleGrant, RoleName
    from personfirst.core.access.tests.helpers import MEMBER, membership
    from personfirst.core.accounts.models import ApiToken
    from personfirst.core.organisations.models import AccessGrant, Invitation

    world.invitation, world.invitation_token = Invitation.create(
        organisation=world.org, email="newcomer@carers.example", role=MEMBER, invited_by=world.admin
    )
    world.other_invitation, _ = Invitation.create(
        organisation=world.other_org, email="newcomer@westholm.example", role=MEMBER, invited_by=world.outsider
    )
    world.membership = membership(world.member, world.org)
    world.other_membership = membership(world.outsider, world.other_org)
    world.commissioner_grant = RoleGrant.objects.get(user=world.commissioner, role=RoleName.COMMISSIONER)
    world.council_admin_grant = RoleGrant.objects.get(user=world.council_admin, role=RoleName.COUNCIL_ADMIN)
    world.moderator_grant = RoleGrant.objects.get(user=world.moderator, role=RoleName.DIRECTORY_MODERATOR)
    world.other_area_grant = RoleGrant.objects.create(
        user=world.outsider, council_area=world.other_area, role=RoleName.PRACTITIONER
    )
    world.grant = AccessGrant.objects.active().get(organisation=world.org, support_organisation=world.support_org)
    world.other_grant = (
        AccessGrant.objects.active()
        .filter(support_organisation=world.support_org)
        .exclude(organisation=world.org)
        .first()
    )
    assert world.other_grant is not None
    world.member_token, _ = ApiToken.issue(world.member, "matrix")
    world.carer_supporter = world.cared_for.supporters.get(user=world.carer)
    _add_assessments(world)
    _add_plan_actions(world)
    _add_directory(world)
    _add_sds(world)
    _add_calibration(world)
    # Keep the unshared organisation unshared: the rows above depend on it.
    assert not AccessGrant.objects.active().filter(organisation=world.unshared).exists()
    assert not RoleGrant.objects.filter(organisation=world.unshared).exists()


def _add_sds(world) -> None:
    """Sam: an eligibility decision, an agreed self-assessment and its budget; Rose: a draft."""
    from personfirst.sds.allocation import ras_file
    from personfirst.sds.allocation import services as allocation
    from personfirst.sds.eligibility import criteria
    from personfirst.sds.eligibility import services as eligibility
    from personfirst.sds.selfassessment import services

    services.load_shipped_ras(world.area)
    world.ras_v1 = allocation.current_ras(world.area)
    world.ras_draft, _ = allocation.load_ras(
        (ras_file.SHIPPED / "eastmere-ras-1.yaml").read_text().replace("version: 1", "version: 2"),
        "eastmere-ras-2.yaml",
        council_area=world.area,
    )
    world.sam_decision = eligibility.record(
        world.own_record,
        screen=criteria.Screen(criteria.ADULT, True, frozenset({"toilet", "hygiene"}), True),
        notes="Seen at home.",
        by=world.practitioner,
    )
    world.sam_sa = services.start(world.own_record, by=world.person)
    for question in world.sam_sa.questions():
        services.answer(world.sam_sa, question=question.key, answer=question.options[1].key, by=world.person)
    services.submit(world.sam_sa, by=world.person)
    world.sam_budget = services.agree(world.sam_sa, seen_revision=world.sam_sa.revision, by=world.practitioner)
    world.rose_sa = services.start(world.cared_for, by=world.carer)
    services.answer(world.rose_sa, question="washing", answer="most", by=world.carer)


def _add_calibration(world) -> None:
    """Eastmere: an import of 30 costed packages, and a checked file waiting for its uploader."""
    from personfirst.sds.calibration import services as calibration

    lines = ["points,weekly_cost,age_band,client_group,carer_present"]
    lines += [f"{i},{9.5 * i + i % 7:.2f},25-64,physical,{'yes' if i % 2 else 'no'}" for i in range(30)]
    checked, result = calibration.check_upload(world.council_admin, world.area, "costs.csv", "\n".join(lines))
    world.calibration_import = calibration.confirm(world.council_admin, checked, len(result.rows))
    world.calibration_upload, _ = calibration.check_upload(world.council_admin, world.area, "more.csv", lines[0])


def _add_assessments(world) -> None:
    from personfirst.readiness.assessments import services
    from personfirst.readiness.assessments.loading import SHIPPED_DIR, load_path
    from personfirst.readiness.assessments.models import Instrument, Perspective

    load_path(SHIPPED_DIR / "health-check.yaml")
    health_check = Instrument.objects.get(key="health-check")
    world.draft = services.start(organisation=world.org, instrument=health_check, by=world.admin)
    world.submitted = services.start(organisation=world.org, instrument=health_check, by=world.admin)
    world.submitted = services.submit(assessment=world.submitted, by=world.admin)
    world.unshared_draft = services.start(organisation=world.unshared, instrument=health_check, by=world.platform)
    world.other_draft = services.start(organisation=world.other_org, instrument=health_check, by=world.outsider)
    applies, _left_out = services.split_sections(world.draft)
    world.section_key = applies[0].key
    world.item_key = applies[0].items.first().key
    world.respondent = services.add_respondent(
        assessment=world.draft, user=world.member, perspective=Perspective.STAFF, by=world.admin
    )
    world.other_respondent = services.add_respondent(
        assessment=world.other_draft, user=world.outsider, perspective=Perspective.MANAGER, by=world.outsider
    )


def _add_plan_actions(world) -> None:
    from personfirst.readiness.plans.models import Action, ActionStatus

    def make(organisation, title, status=ActionStatus.NOT_STARTED):
        return Action.objects.create(organisation=organisation, title=title, status=status, created_by=world.platform)

    world.action = make(world.org, "Write a one-page vision")
    world.suggestion = make(world.org, "Brief the trustees", ActionStatus.SUGGESTED)
    world.unshared_action = make(world.unshared, "Beech House's suggestion", ActionStatus.SUGGESTED)
    world.other_action = make(world.other_org, "Westholm's step")
    world.other_suggestion = make(world.other_org, "Westholm's suggestion", ActionStatus.SUGGESTED)


def _add_directory(world) -> None:
    from personfirst.market.directory import moderation, publishing
    from personfirst.market.directory.models import Postcode, Provider, ServiceAtLocation
    from personfirst.market.directory.vocabulary import THEMES
    from personfirst.market.tests.fixtures import make_entry

    Postcode.objects.create(code="NR11AE", easting=624758, northing=308175, la_code="E07000148")
    provider = Provider.objects.create(organisation=world.org, name=world.org.name)
    other = Provider.objects.create(organisation=world.other_org, name=world.other_org.name)
    listed, other_entry = make_entry(name="Carers' Cafe"), make_entry(name="Westholm Lunch")
    publishing.write([publishing.Item(listed, provider.pk), publishing.Item(other_entry, other.pk)])
    world.listed = provider.services.get()
    world.other_service = other.services.get()
    world.listed_link = ServiceAtLocation.objects.filter(service=world.listed).first()
    world.submission = moderation.submit(provider, make_entry(name="Carers' Walks"), by=world.admin)
    world.other_submission = moderation.submit(other, make_entry(name="Westholm Walks"), by=world.outsider)
    world.themes_id = THEMES.id
    world.theme_term_id = THEMES.term_id("things-to-do")


def _request(client: Client, method: str, path: str, the_case: Case, is_api: bool, world):
    if method == "GET":
        return client.get(f"{path}?{the_case.query}" if the_case.query else path)
    # A value in the body may come from the world too: of("team_manager.pk").
    data = {key: value(world) if callable(value) else value for key, value in (the_case.data or {}).items()}
    if is_api:
        return client.generic(method, path, json.dumps(data), content_type="application/json")
    return client.generic(method, path, urlencode(data, doseq=True), content_type="application/x-www-form-urlencoded")


def _redirects_to_sign_in(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(SIGN_IN)


@pytest.mark.parametrize(("endpoint", "the_case", "how"), list(_params()))
def test_url_matrix(endpoint, the_case, how, matrix_world):
    assert the_case is not None, (
        f"{endpoint.name} ({endpoint.route}) is not in the authorization matrix: add it to URLS in {__file__}"
    )
    method, role = how
    world = matrix_world
    kwargs = _fill(endpoint, the_case, world)
    path = _address(endpoint, kwargs)

    client = _client_for(world, role, endpoint.is_api)
    response = _request(client, method, path, the_case, endpoint.is_api, world)
    status = response.status_code
    where = f"{method} {path} as {role}: got {status}"

    assert status < 500, where
    expected = the_case.expect.get(role)
    if expected == REDIRECT_TO_SIGN_IN:
        assert _redirects_to_sign_in(response), f"{where}, expected a redirect to sign-in"
    elif expected is not None:
        assert status == expected, f"{where}, expected {expected}"
    elif role in the_case.allow:
        assert status < 400, f"{where}, expected to be allowed"
        assert not _redirects_to_sign_in(response), f"{where}, sent to sign in but expected to be allowed"
    elif role == "anonymous" and endpoint.is_api:
        assert status == 401, f"{where}, expected 401"
    elif role == "anonymous":
        assert _redirects_to_sign_in(response), f"{where}, expected a redirect to sign-in"
    else:
        assert status in (403, 404), f"{where}, expected to be refused (403 or 404)"
    if endpoint.is_api and status >= 400:
        assert response["Content-Type"].startswith("application/json"), f"{where}: error is not JSON"
        assert "detail" in response.json(), where
    if status == 401:
        assert response.get("WWW-Authenticate", "").startswith('Bearer realm="PersonFirst"'), f"{where}: no challenge"
    if role != "anonymous":
        # Nothing sent to a signed-in person may be stored by a browser or a proxy (accounts/caching.py).
        cache_control = {part.strip() for part in response.get("Cache-Control", "").split(",")}
        assert {"no-store", "private"} <= cache_control, f"{where}: Cache-Control is {response.get('Cache-Control')!r}"


def test_every_url_is_in_the_matrix():
    missing = [f"{e.name} ({e.route})" for e in endpoints() if cases_for(e) is None]
    assert not missing, "Add these URLs to the authorization matrix (URLS in access/tests/test_url_matrix.py): " + (
        ", ".join(missing)
    )


def test_no_stale_entries():
    names = {e.name for e in endpoints()}
    stale = sorted((set(URLS) | set(ADMIN_EXCEPTIONS)) - names)
    assert not stale, f"These matrix entries name no URL any more: {stale}"


def test_the_matrix_sees_every_kind_of_url():
    """A guard on the walk itself: it must find web pages, API operations and the admin."""
    found = {e.name: e for e in endpoints()}
    assert "organisations:detail" in found
    assert found["api:update_organisation"].methods == ("PATCH",)
    assert found["api:get_organisation"].methods == ("GET",)
    assert "admin:organisations_organisation_change" in found
    assert any(":<" in name and name.startswith("admin:") for name in found)  # unnamed admin patterns
    assert found["organisations:detail"].route == "organisations/<slug:slug>/"


def test_platform_administrators_see_every_model_on_the_admin_index(matrix_world):
    from personfirst.core.ui.admin_site import admin_site

    client = Client()
    client.force_login(matrix_world.platform)
    html = client.get(reverse("admin:index")).content.decode()
    for model in admin_site._registry:
        changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert f'href="{changelist}"' in html, f"{model._meta.label} is not on the admin index"
