"""Every predicate (personfirst/core/access/roles.py and each app's rules.py)
and every permission, for every persona.

The tables below say who is allowed; each test compares the whole set of
personas allowed with the set expected, so a failure reads, for example,
"organisations.view_audit on org: allowed {admin, member, platform},
expected {admin, platform}".
"""

from __future__ import annotations

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from personfirst.core.access import roles as access
from personfirst.core.access import rules as access_rules
from personfirst.core.access.shortcuts import require
from personfirst.core.people import rules as people_rules
from personfirst.market.directory import rules as directory_rules
from personfirst.readiness.assessments import rules as readiness_rules
from personfirst.sds.allocation import rules as allocation_rules
from personfirst.testing import PERSONAS

# The modules that define predicates: the shared ones and each app's own.
PREDICATE_MODULES = (access, access_rules, people_rules, readiness_rules, directory_rules, allocation_rules)

EVERYONE = frozenset(PERSONAS)
NOBODY: frozenset[str] = frozenset()
# Council roles that may read a person's record after giving a reason.
REASON_ROLES = frozenset({"council_admin", "team_manager", "approver", "finance_officer"})
# Members of Eastmere Council, each with a council role over Eastmere.
COUNCIL_STAFF = frozenset(
    {"commissioner", "council_admin", "practitioner", "team_manager", "approver", "finance_officer"}
)


@pytest.fixture(scope="module")
def shared_cast(django_db_setup, django_db_blocker):
    """conftest's world, plus an anonymous visitor and three assessments:
    draft (world.org; world.member is its respondent), submitted (world.org)
    and unshared_draft (world.unshared).

    Built once for this module inside a transaction rolled back at its end;
    each test runs in a savepoint within it (pytest-django's ``db``), so
    changes to the database never outlive a test. Objects changed in memory
    would: a test that changes one fetches its own copy (``fresh``).
    """
    import conftest
    from personfirst.readiness.assessments import services
    from personfirst.readiness.assessments.loading import SHIPPED_DIR, load_path
    from personfirst.readiness.assessments.models import Instrument, Perspective

    with django_db_blocker.unblock(), transaction.atomic():
        world = conftest.build_world()
        world.anonymous = AnonymousUser()
        load_path(SHIPPED_DIR / "health-check.yaml")
        health_check = Instrument.objects.get(key="health-check")
        world.draft = services.start(organisation=world.org, instrument=health_check, by=world.admin)
        submitted = services.start(organisation=world.org, instrument=health_check, by=world.admin)
        world.submitted = services.submit(assessment=submitted, by=world.admin)
        world.unshared_draft = services.start(organisation=world.unshared, instrument=health_check, by=world.platform)
        services.add_respondent(
            assessment=world.draft, user=world.member, perspective=Perspective.STAFF, by=world.admin
        )
        _add_grants(world)
        _add_directory(world)
        _add_ras(world)
        yield world
        transaction.set_rollback(True)


def _add_grants(world) -> None:
    """One role grant of each kind the roles pages end."""
    from personfirst.core.access.models import RoleGrant, RoleName

    world.commissioner_grant = RoleGrant.objects.get(user=world.commissioner, role=RoleName.COMMISSIONER)
    world.council_admin_grant = RoleGrant.objects.get(user=world.council_admin, role=RoleName.COUNCIL_ADMIN)
    world.moderator_grant = RoleGrant.objects.get(user=world.moderator, role=RoleName.DIRECTORY_MODERATOR)
    world.other_area_grant = RoleGrant.objects.create(
        user=world.outsider, council_area=world.other_area, role=RoleName.PRACTITIONER
    )
    world.membership_grant = RoleGrant.objects.get(user=world.member, role=RoleName.ORGANISATION_MEMBER)


def _add_directory(world) -> None:
    """world.org's provider, one published service of it and an entry waiting for a moderator."""
    from personfirst.market.directory import moderation, publishing
    from personfirst.market.directory.models import Provider
    from personfirst.market.tests.fixtures import make_entry

    provider = Provider.objects.create(organisation=world.org, name=world.org.name)
    entry = make_entry(locations=[], areas=[])
    publishing.write([publishing.Item(entry, provider.pk)])
    world.listed_service = provider.services.get()
    world.submission = moderation.submit(provider, make_entry(locations=[], areas=[]), by=world.admin)


@pytest.fixture
def cast(shared_cast, db):
    return shared_cast


def fresh(instance):
    """A copy of ``instance`` from the database, safe to change in memory."""
    return type(instance).objects.get(pk=instance.pk)


def allowed(world, check) -> set[str]:
    return {persona for persona in PERSONAS if check(getattr(world, persona))}


# --- Predicates ----------------------------------------------------------------

# predicate -> [(object in the cast, or None for a one-argument predicate, personas for whom it is true)]
PREDICATES = {
    "is_platform_admin": [(None, {"platform"})],
    "is_member": [
        ("org", {"member", "admin"}),
        ("support_org", {"worker"}),
        ("council", COUNCIL_STAFF),
        ("other_org", {"outsider"}),
        ("unshared", NOBODY),
    ],
    "is_admin": [("org", {"admin"}), ("other_org", {"outsider"}), ("support_org", NOBODY)],
    "is_worker_with_access": [
        ("org", {"worker"}),
        ("unshared", NOBODY),
        ("support_org", NOBODY),  # a support organisation does not share with itself
        ("other_org", NOBODY),
    ],
    "worker_sees_assessments": [("org", {"worker"}), ("unshared", NOBODY), ("other_org", NOBODY)],
    "worker_sees_plan": [("org", {"worker"}), ("unshared", NOBODY), ("other_org", NOBODY)],
    "is_worker_for": [("support_org", {"worker"}), ("org", NOBODY)],
    "is_council": [("council", EVERYONE), ("org", NOBODY), ("support_org", NOBODY)],
    "is_commissioner_for": [("area", {"commissioner"}), ("other_area", NOBODY)],
    "is_council_admin_for": [("area", {"council_admin"}), ("other_area", NOBODY)],
    # People's records (Sam's own_record: he signs in; Rose's cared_for: her carer co-edits).
    "is_the_person": [("own_record", {"person"}), ("cared_for", NOBODY)],
    "supports": [("own_record", NOBODY), ("cared_for", {"carer"})],
    "supports_with_edit": [("cared_for", {"carer"})],
    "acts_for": [("cared_for", NOBODY)],
    "is_practitioner_for": [("own_record", {"practitioner"}), ("cared_for", {"practitioner"})],
    # Practitioners hold such a role too (for another team's records): the permission below leaves them out here.
    "may_give_reason": [("own_record", REASON_ROLES | {"practitioner"})],
    "has_given_reason": [("own_record", NOBODY)],
    "reads_routinely": [("own_record", {"person", "practitioner"}), ("cared_for", {"carer", "practitioner"})],
    # (In this cast the outsider is also a practitioner in Westholm: cast.other_area_grant.)
    "is_practitioner_anywhere": [(None, {"practitioner", "outsider"})],
    "is_practitioner_in": [("area", {"practitioner"}), ("other_area", {"outsider"})],
    "allocates_teams_in": [("area", {"council_admin", "team_manager"}), ("other_area", NOBODY)],
    # A council's RAS versions (sds/allocation): published ones are open, drafts its council administrators'.
    "is_published": [("ras_v1", EVERYONE), ("ras_draft", NOBODY)],
    "is_admin_of_its_council": [("ras_v1", {"council_admin"}), ("ras_draft", {"council_admin"})],
    "has_people": [(None, {"person", "carer"})],
    # Giving and ending roles.
    "is_a_council_admin": [(None, {"council_admin"})],
    "may_end": [
        ("commissioner_grant", {"council_admin", "platform"}),
        ("council_admin_grant", {"platform"}),
        ("moderator_grant", {"platform"}),
        ("other_area_grant", {"platform"}),
        ("membership_grant", NOBODY),  # on the organisation's people page instead
    ],
    "can_view_assessment_org": [
        ("draft", {"member", "admin", "worker", "platform"}),
        ("unshared_draft", {"platform"}),
    ],
    "leads_assessment": [
        ("draft", {"admin", "worker"}),
        ("submitted", {"admin", "worker"}),
        ("unshared_draft", NOBODY),
    ],
    "is_respondent": [("draft", {"member"}), ("submitted", NOBODY)],
    "is_draft": [("draft", EVERYONE), ("submitted", NOBODY)],
    "is_development_worker": [(None, {"worker"})],
    # Area insight.
    "is_commissioner": [(None, {"commissioner"})],
    "is_support_organisation": [("support_org", EVERYONE), ("org", NOBODY), ("council", NOBODY)],
    # The directory: a provider's editors are its members (or provider editor grant holders).
    "is_provider_editor": [("org", {"member", "admin"}), ("other_org", {"outsider"}), ("unshared", NOBODY)],
    "is_moderator": [(None, {"moderator"})],
    "edits_submission": [("submission", {"member", "admin"})],
    "edits_service": [("listed_service", {"member", "admin"})],
}


def _add_ras(world) -> None:
    """Eastmere's RAS: version 1 published, version 2 a draft."""
    from personfirst.sds.allocation import ras_file
    from personfirst.sds.allocation import services as allocation

    text = (ras_file.SHIPPED / "eastmere-ras-1.yaml").read_text()
    world.ras_v1, _ = allocation.load_ras(text, "v1.yaml", council_area=world.area)
    allocation.publish(world.ras_v1, by=None, backdate=True)
    world.ras_draft, _ = allocation.load_ras(
        text.replace("version: 1", "version: 2"), "v2.yaml", council_area=world.area
    )


def _predicate_cases():
    for name, rows in PREDICATES.items():
        for target, expected in rows:
            yield pytest.param(name, target, frozenset(expected), id=f"{name}-{target or 'user'}")


@pytest.mark.parametrize(("name", "target", "expected"), list(_predicate_cases()))
def test_predicate(cast, name, target, expected):
    predicate = next(getattr(m, name) for m in PREDICATE_MODULES if isinstance(getattr(m, name, None), rules.Predicate))
    if target is None:
        got = allowed(cast, lambda user: predicate.test(user))
    else:
        obj = getattr(cast, target)
        got = allowed(cast, lambda user: predicate.test(user, obj))
    assert got == expected, f"{name}({target}): true for {sorted(got)}, expected {sorted(expected)}"


def test_every_predicate_is_tested():
    predicates = {
        name
        for module in PREDICATE_MODULES
        for name, value in vars(module).items()
        if isinstance(value, rules.Predicate)
    }
    assert predicates == set(PREDICATES), f"add to PREDICATES: {sorted(predicates - set(PREDICATES))}"


# --- Permissions ---------------------------------------------------------------

VIEW_ORG = {"member", "admin", "worker", "platform"}
ORG_ADMIN = {"admin", "platform"}
LEADS = {"admin", "worker"}

# permission -> [(object in the cast, personas who have it)]
PERMISSIONS = {
    "organisations.view_organisation": [
        ("org", VIEW_ORG),
        ("unshared", {"platform"}),
        ("other_org", {"outsider", "platform"}),
        ("council", COUNCIL_STAFF | {"platform"}),
        ("support_org", {"worker", "platform"}),
    ],
    "organisations.change_organisation": [
        ("org", ORG_ADMIN),
        ("unshared", {"platform"}),
        ("other_org", {"outsider", "platform"}),
    ],
    "organisations.manage_people": [
        ("org", ORG_ADMIN),
        ("unshared", {"platform"}),
        ("other_org", {"outsider", "platform"}),
    ],
    "organisations.manage_sharing": [
        ("org", ORG_ADMIN),
        ("unshared", {"platform"}),
        ("other_org", {"outsider", "platform"}),
    ],
    "organisations.view_audit": [
        ("org", ORG_ADMIN),
        ("unshared", {"platform"}),
        ("other_org", {"outsider", "platform"}),
    ],
    "organisations.view_area": [("area", {"commissioner", "platform"}), ("other_area", {"platform"})],
    "readiness.view_assessments": [
        ("org", VIEW_ORG),
        ("unshared", {"platform"}),
        ("other_org", {"outsider", "platform"}),
        ("council", COUNCIL_STAFF | {"platform"}),
    ],
    "readiness.start_assessment": [("org", LEADS), ("unshared", NOBODY), ("other_org", {"outsider"})],
    "readiness.view_assessment": [("draft", VIEW_ORG), ("submitted", VIEW_ORG), ("unshared_draft", {"platform"})],
    "readiness.edit_answers": [("draft", LEADS), ("submitted", NOBODY), ("unshared_draft", NOBODY)],
    "readiness.manage_respondents": [("draft", LEADS), ("submitted", NOBODY), ("unshared_draft", NOBODY)],
    "readiness.submit_assessment": [("draft", LEADS), ("submitted", NOBODY), ("unshared_draft", NOBODY)],
    "readiness.respond": [("draft", {"member"}), ("submitted", NOBODY)],
    "readiness.view_results": [("draft", VIEW_ORG), ("submitted", VIEW_ORG), ("unshared_draft", {"platform"})],
    "plans.view_plan": [("org", VIEW_ORG), ("unshared", {"platform"}), ("other_org", {"outsider", "platform"})],
    "plans.change_plan": [
        ("org", {"member", "admin", "worker"}),
        ("unshared", NOBODY),
        ("other_org", {"outsider"}),
    ],
    "caseload.view_caseload": [(None, {"worker"})],
    # Area insight: England as a benchmark; an area for its commissioners; the organisations
    # that share with a support organisation for its development workers; platform admins all.
    "insight.view_national": [(None, {"worker", "commissioner", "platform"})],
    "insight.view_area": [("area", {"commissioner", "platform"}), ("other_area", {"platform"})],
    "insight.view_shared": [("support_org", {"worker", "platform"}), ("org", NOBODY), ("council", NOBODY)],
    # People's records: the person, their supporters (as they may), practitioners of the area;
    # other council roles after giving a reason; never commissioners or platform administrators.
    "people.view_person": [("own_record", {"person", "practitioner"}), ("cared_for", {"carer", "practitioner"})],
    "people.change_person": [("own_record", {"person", "practitioner"}), ("cared_for", {"carer", "practitioner"})],
    "people.manage_supporters": [("own_record", {"person", "practitioner"}), ("cared_for", {"practitioner"})],
    "people.view_reads": [("own_record", {"person"}), ("cared_for", NOBODY)],
    "people.invite_person": [("own_record", {"practitioner"}), ("cared_for", {"practitioner"})],
    "people.give_reason": [("own_record", REASON_ROLES), ("cared_for", REASON_ROLES)],
    "people.view_people": [(None, {"practitioner", "person", "carer", "outsider"})],
    "people.add_person": [("area", {"practitioner"}), ("other_area", {"outsider"})],
    "people.add_person_anywhere": [(None, {"practitioner", "outsider"})],
    # Self-directed support: the person and the supporters they let change the record answer;
    # their practitioner screens eligibility, starts a self-assessment with them and reviews it.
    "eligibility.screen": [("own_record", {"practitioner"}), ("cared_for", {"practitioner"})],
    "selfassessment.start": [("own_record", {"person", "practitioner"}), ("cared_for", {"carer", "practitioner"})],
    "selfassessment.answer": [("own_record", {"person"}), ("cared_for", {"carer"})],
    "selfassessment.review": [("own_record", {"practitioner"}), ("cared_for", {"practitioner"})],
    "people.allocate_teams": [("area", {"council_admin", "team_manager"}), ("other_area", NOBODY)],
    # A council's RAS versions: its council administrators keep them; published ones are open to all.
    "allocation.manage_ras": [("area", {"council_admin"}), ("other_area", NOBODY)],
    "calibration.manage": [("area", {"council_admin"}), ("other_area", NOBODY)],
    "allocation.view_ras_version": [("ras_v1", EVERYONE), ("ras_draft", {"council_admin"})],
    "allocation.preview_ras_version": [("ras_v1", {"council_admin"}), ("ras_draft", {"council_admin"})],
    "allocation.publish_ras_version": [("ras_draft", {"council_admin"})],
    # Roles: the admin site and the roles pages.
    "access.use_admin_site": [(None, {"platform"})],
    "access.manage_platform_roles": [(None, {"platform"})],
    "access.manage_council_roles": [("area", {"council_admin", "platform"}), ("other_area", {"platform"})],
    "access.manage_roles": [(None, {"council_admin", "platform"})],
    "access.end_role": [
        ("commissioner_grant", {"council_admin", "platform"}),
        ("council_admin_grant", {"platform"}),
        ("moderator_grant", {"platform"}),
        ("membership_grant", NOBODY),
    ],
    # The directory.
    "directory.view_entries": [
        ("org", {"member", "admin", "moderator", "platform"}),
        ("other_org", {"outsider", "moderator", "platform"}),
    ],
    "directory.edit_entries": [("org", {"member", "admin"}), ("other_org", {"outsider"}), ("unshared", NOBODY)],
    "directory.edit_service": [("listed_service", {"member", "admin", "moderator"})],
    "directory.view_submission": [("submission", {"member", "admin", "moderator", "platform"})],
    "directory.change_submission": [("submission", {"member", "admin"})],
    "directory.moderate": [(None, {"moderator"})],
    "directory.view_queue": [(None, {"moderator", "platform"})],
    "directory.decide": [("submission", {"moderator"})],
}


def _permission_cases():
    for permission, rows in PERMISSIONS.items():
        for target, expected in rows:
            yield pytest.param(permission, target, frozenset(expected), id=f"{permission}-{target}")


@pytest.mark.parametrize(("permission", "target", "expected"), list(_permission_cases()))
def test_permission(cast, permission, target, expected):
    if target is None:  # a permission about the user, not an object
        got = allowed(cast, lambda user: user.has_perm(permission))
    else:
        obj = getattr(cast, target)
        got = allowed(cast, lambda user: user.has_perm(permission, obj))
    assert got == expected, f"{permission} on {target}: allowed {sorted(got)}, expected {sorted(expected)}"


def test_every_permission_is_tested():
    registered = set(rules.permissions.permissions)
    assert registered == set(PERMISSIONS), f"add to PERMISSIONS: {sorted(registered - set(PERMISSIONS))}"


def test_a_superuser_with_no_role_has_no_permission_at_all(cast):
    """Django's PermissionsMixin would say yes to every question for an
    active superuser; here only the rules answer (accounts.User.has_perm)."""
    superuser = cast.superuser
    assert superuser.is_superuser and superuser.is_active
    for permission, rows in PERMISSIONS.items():
        for target, expected in rows:
            if expected == EVERYONE:
                continue  # open to everyone, with or without a role (a published RAS version)
            obj = None if target is None else getattr(cast, target)
            assert not superuser.has_perm(permission, obj), (permission, target)
    assert not superuser.has_perms(["organisations.view_organisation"], cast.org)
    assert not superuser.has_module_perms("organisations")
    assert not access.visible_organisations(superuser).exists()


def test_a_django_model_permission_opens_nothing(cast):
    from django.contrib.auth.models import Permission

    user = fresh(cast.outsider)
    user.user_permissions.set(Permission.objects.all())
    user = fresh(user)
    assert not user.has_perm("organisations.view_organisation", cast.org)
    assert not user.has_perm("organisations.change_organisation")
    assert not user.has_perm("access.use_admin_site")


def test_the_commissioner_sees_no_organisation_in_their_area_but_their_own_council(cast):
    from personfirst.core.organisations.models import Organisation

    for organisation in Organisation.objects.filter(council_area=cast.area):
        expected = organisation == cast.council
        assert cast.commissioner.has_perm("organisations.view_organisation", organisation) is expected, organisation


# --- Lists ---------------------------------------------------------------------


def slugs(queryset) -> set[str]:
    return set(queryset.values_list("slug", flat=True))


def shared_with_worker() -> set[str]:
    from personfirst.demo import area

    return {slug for slug, *_rest, shares in area.ORGANISATIONS if shares}


def test_visible_organisations(cast):
    from personfirst.core.organisations.models import Organisation

    assert slugs(access.visible_organisations(cast.member)) == {cast.org.slug}
    assert slugs(access.visible_organisations(cast.admin)) == {cast.org.slug}
    assert slugs(access.visible_organisations(cast.worker)) == shared_with_worker() | {cast.support_org.slug}
    assert slugs(access.visible_organisations(cast.commissioner)) == {cast.council.slug}
    assert slugs(access.visible_organisations(cast.outsider)) == {cast.other_org.slug}
    assert slugs(access.visible_organisations(cast.platform)) == slugs(Organisation.objects.all())
    assert slugs(access.visible_organisations(AnonymousUser())) == set()
    assert cast.unshared.slug not in slugs(access.visible_organisations(cast.worker))


def test_visible_organisations_agree_with_the_view_permission(cast):
    from personfirst.core.organisations.models import Organisation

    for user in (cast.member, cast.admin, cast.worker, cast.commissioner, cast.outsider, cast.platform):
        visible = slugs(access.visible_organisations(user))
        permitted = {o.slug for o in Organisation.objects.all() if user.has_perm("organisations.view_organisation", o)}
        assert visible == permitted, user


def test_shared_organisations(cast):
    assert slugs(access.shared_organisations(cast.worker)) == shared_with_worker()
    assert cast.org.slug in shared_with_worker()
    assert cast.unshared.slug not in shared_with_worker()
    for user in (cast.member, cast.admin, cast.commissioner, cast.outsider, cast.platform, AnonymousUser()):
        assert slugs(access.shared_organisations(user)) == set(), user


def test_shared_with_a_support_organisation(cast):
    assert slugs(access.shared_with(cast.support_org)) == shared_with_worker()
    assert slugs(access.shared_with(cast.org)) == set()


def test_insight_support_organisations(cast):
    assert slugs(access.insight_support_organisations(cast.worker)) == {cast.support_org.slug}
    assert slugs(access.insight_support_organisations(cast.platform)) == {cast.support_org.slug}
    for user in (cast.member, cast.admin, cast.commissioner, cast.outsider, AnonymousUser()):
        assert slugs(access.insight_support_organisations(user)) == set(), user
    for support in access.insight_support_organisations(cast.worker):
        assert cast.worker.has_perm("insight.view_shared", support)


def test_commissioned_areas(cast):
    from personfirst.core.organisations.models import CouncilArea

    assert list(access.commissioned_areas(cast.commissioner)) == [cast.area]
    assert set(access.commissioned_areas(cast.platform)) == set(CouncilArea.objects.all())
    for user in (cast.member, cast.admin, cast.worker, cast.outsider, AnonymousUser()):
        assert list(access.commissioned_areas(user)) == [], user


def test_a_council_member_in_two_councils_commissions_both(cast):
    from personfirst.core.access.models import RoleGrant, RoleName

    RoleGrant.objects.create(user=cast.commissioner, council_area=cast.other_area, role=RoleName.COMMISSIONER)
    assert set(access.commissioned_areas(cast.commissioner)) == {cast.area, cast.other_area}
    assert cast.commissioner.has_perm("organisations.view_area", cast.other_area)


def test_a_member_of_a_council_is_not_a_commissioner_without_the_role(cast):
    """Roles are no longer inferred from the organisation's type."""
    for persona in ("council_admin", "practitioner", "team_manager", "approver", "finance_officer"):
        user = getattr(cast, persona)
        assert access.is_member.test(user, cast.council)
        assert not user.has_perm("organisations.view_area", cast.area), persona
        assert not user.has_perm("insight.view_national"), persona


def test_a_member_of_a_support_organisation_is_not_a_development_worker_without_the_role(cast):
    from personfirst.core.access.tests.helpers import join

    join(cast.member, cast.support_org)
    assert not cast.member.has_perm("caseload.view_caseload")
    assert not cast.member.has_perm("organisations.view_organisation", cast.unshared)
    assert cast.org.slug in slugs(access.visible_organisations(cast.member))  # their own, as before


def test_a_role_counts_from_its_start_until_its_end(cast):
    import datetime

    import time_machine
    from django.utils import timezone

    from personfirst.core.access.models import RoleGrant, RoleName

    now = timezone.now()
    RoleGrant.objects.create(
        user=cast.outsider,
        council_area=cast.area,
        role=RoleName.COMMISSIONER,
        valid_from=now + datetime.timedelta(days=1),
        valid_until=now + datetime.timedelta(days=3),
    )
    assert not cast.outsider.has_perm("organisations.view_area", cast.area)
    with time_machine.travel(now + datetime.timedelta(days=2)):
        assert cast.outsider.has_perm("organisations.view_area", cast.area)
    with time_machine.travel(now + datetime.timedelta(days=3)):
        assert not cast.outsider.has_perm("organisations.view_area", cast.area)


def test_a_member_of_a_non_council_organisation_commissions_nothing(cast):
    # The carers' centre is in Eastmere, but it is not the council.
    assert not cast.admin.has_perm("organisations.view_area", cast.area)


# --- Taking access away --------------------------------------------------------


def test_stopping_sharing_removes_the_workers_access_at_once(cast):
    from personfirst.core.organisations.models import AccessGrant

    worker = cast.worker  # the same object throughout: nothing may be cached on it
    assert worker.has_perm("organisations.view_organisation", cast.org)
    assert worker.has_perm("readiness.edit_answers", cast.draft)
    grant = AccessGrant.objects.active().get(organisation=cast.org, support_organisation=cast.support_org)

    grant.revoke(cast.admin)

    assert not worker.has_perm("organisations.view_organisation", cast.org)
    assert not access.is_worker_with_access.test(worker, cast.org)
    assert not worker.has_perm("readiness.view_assessment", cast.draft)
    assert not worker.has_perm("readiness.edit_answers", cast.draft)
    assert not worker.has_perm("readiness.start_assessment", cast.org)
    assert cast.org.slug not in slugs(access.visible_organisations(worker))
    assert cast.org.slug not in slugs(access.shared_organisations(worker))
    # Other organisations still sharing are unaffected.
    assert len(slugs(access.shared_organisations(worker))) == len(shared_with_worker()) - 1

    # Sharing again gives it back.
    AccessGrant.objects.create(organisation=cast.org, support_organisation=cast.support_org, granted_by=cast.admin)
    assert worker.has_perm("organisations.view_organisation", cast.org)


def test_stopping_sharing_closes_the_page_the_worker_has_open(cast, client):
    from personfirst.core.organisations.models import AccessGrant

    client.force_login(cast.worker)
    assert client.get(f"/organisations/{cast.org.slug}/").status_code == 200
    AccessGrant.objects.active().get(organisation=cast.org, support_organisation=cast.support_org).revoke(cast.admin)
    assert client.get(f"/organisations/{cast.org.slug}/").status_code == 404


def test_removing_a_membership_removes_access_at_once(cast):
    from personfirst.core.access import services
    from personfirst.core.access.tests.helpers import membership

    assert cast.member.has_perm("organisations.view_organisation", cast.org)
    services.end(membership(cast.member, cast.org), by=cast.admin)
    assert not cast.member.has_perm("organisations.view_organisation", cast.org)
    assert slugs(access.visible_organisations(cast.member)) == set()


def test_the_worker_loses_access_on_leaving_the_support_organisation(cast):
    from personfirst.core.access.models import RoleGrant, RoleName

    RoleGrant.objects.filter(user=cast.worker, role=RoleName.DEVELOPMENT_WORKER).update(revoked_at=timezone.now())
    assert not cast.worker.has_perm("organisations.view_organisation", cast.org)
    assert slugs(access.shared_organisations(cast.worker)) == set()


# --- Inactive users get nothing ------------------------------------------------


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "anonymous"])
def test_an_inactive_user_gets_nothing(cast, persona):
    user = fresh(getattr(cast, persona))
    user.is_active = False
    user.save(update_fields=["is_active"])

    for permission, rows in PERMISSIONS.items():
        for target, _expected in rows:
            obj = None if target is None else getattr(cast, target)
            assert not user.has_perm(permission, obj), (permission, target)
    assert not access.is_platform_admin.test(user)
    assert not access.is_member.test(user, cast.org)
    assert not readiness_rules.is_respondent.test(user, cast.draft)
    assert not access.visible_organisations(user).exists()
    assert not access.shared_organisations(user).exists()
    assert not access.commissioned_areas(user).exists()


def test_an_inactive_users_session_ends(cast, client):
    admin = fresh(cast.admin)
    client.force_login(admin)
    assert client.get(f"/organisations/{cast.org.slug}/").status_code == 200
    admin.is_active = False
    admin.save(update_fields=["is_active"])
    response = client.get(f"/organisations/{cast.org.slug}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/sign-in/")


def test_an_inactive_users_api_token_stops_working(cast, api_client_for):
    admin = fresh(cast.admin)
    api = api_client_for(admin)
    assert api.get("/api/v1/me").status_code == 200
    admin.is_active = False
    admin.save(update_fields=["is_active"])
    assert api.get("/api/v1/me").status_code == 401


# --- access.shortcuts.require: 404 for what you cannot see, 403 for what you cannot do


def test_require_allows(cast):
    require(cast.admin, "organisations.change_organisation", cast.org)


def test_require_is_forbidden_when_you_can_see_but_not_change(cast):
    with pytest.raises(PermissionDenied):
        require(cast.member, "organisations.change_organisation", cast.org)
    with pytest.raises(PermissionDenied):
        require(cast.worker, "organisations.view_audit", cast.org)


def test_require_is_not_found_when_you_cannot_see(cast):
    with pytest.raises(Http404):
        require(cast.outsider, "organisations.change_organisation", cast.org)
    with pytest.raises(Http404):
        require(cast.commissioner, "organisations.view_organisation", cast.org)
    with pytest.raises(Http404):
        require(AnonymousUser(), "organisations.view_organisation", cast.org)
    with pytest.raises(Http404):
        require(cast.outsider, "organisations.view_area", cast.area)


def test_every_permission_but_viewing_says_which_view_permission_decides_403_or_404():
    from personfirst.core.access.shortcuts import VIEW_PERMISSION_FOR

    assert set(VIEW_PERMISSION_FOR) <= set(rules.permissions.permissions)
    assert set(VIEW_PERMISSION_FOR.values()) <= set(rules.permissions.permissions)
