"""People's records: creating one, who may read it, the log of every read,
supporters with consent, reasons for reads that are not routine, and what
the change log keeps."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.test import Client
from django.utils import timezone

from personfirst.core.people import services
from personfirst.core.people.models import ExceptionalAccess, Person, RecordRead, Supporter
from personfirst.core.ui.tests.test_error_summaries import assert_error_summary_links_resolve

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(person, page: str = "") -> str:
    return f"/people/{person.pk}/{page}"


def link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/people/invitations/[^/\s]+/)", message.body).group(1)


NEW = {
    "given_name": "Mina",
    "family_name": "Haddad",
    "preferred_name": "Mina",
    "date_of_birth_day": "4",
    "date_of_birth_month": "11",
    "date_of_birth_year": "1957",
    "email": "mina@people.example",
    "what_matters": "Her cat, Biscuit, and the Tuesday lunch club.",
}


# --- creating a record -----------------------------------------------------------


def test_a_practitioner_creates_a_record_without_an_email_address(world):
    practitioner = client_for(world.practitioner)
    response = practitioner.post("/people/new/", {"given_name": "Ada", "family_name": "Moss"})
    person = Person.objects.get(given_name="Ada")
    assert response["Location"] == url(person)
    assert person.council_area == world.area
    assert person.created_by == world.practitioner
    assert person.user is None and person.email == ""


def test_a_record_with_every_detail(world):
    client_for(world.practitioner).post("/people/new/", NEW)
    person = Person.objects.get(given_name="Mina")
    assert person.date_of_birth == datetime.date(1957, 11, 4)
    page = client_for(world.practitioner).get(url(person)).content.decode()
    assert "Mina Haddad" in page and "Biscuit" in page


@pytest.mark.parametrize(
    ("data", "anchor", "words"),
    [
        ({"family_name": "Moss"}, "#id_given_name", "Enter their first name"),
        ({"given_name": "Ada", "family_name": "Moss", "email": "not-an-address"}, "#id_email", "right format"),
        (
            {"given_name": "A", "family_name": "M", "date_of_birth_day": "1", "date_of_birth_month": "1"},
            "#id_date_of_birth",
            "must include a year",
        ),
        (
            {
                "given_name": "A",
                "family_name": "M",
                "date_of_birth_day": "1",
                "date_of_birth_month": "1",
                "date_of_birth_year": "2999",
            },
            "#id_date_of_birth",
            "must be in the past",
        ),
    ],
)
def test_bad_details_are_named_and_nothing_is_saved(world, data, anchor, words):
    response = client_for(world.practitioner).post("/people/new/", data)
    assert_error_summary_links_resolve(response, expected={anchor: words})
    assert not Person.objects.exclude(pk__in=[world.own_record.pk, world.cared_for.pk]).exists()


@pytest.mark.parametrize("persona", ["commissioner", "council_admin", "platform", "member", "carer", "superuser"])
def test_only_practitioners_create_records(world, persona):
    response = client_for(getattr(world, persona)).post("/people/new/", {"given_name": "A", "family_name": "M"})
    assert response.status_code == 404
    assert not Person.objects.filter(given_name="A").exists()


# --- reading, and the log of reads -------------------------------------------------


def test_every_read_is_logged_with_who_and_why(world):
    client_for(world.practitioner).get(url(world.cared_for))
    client_for(world.carer).get(url(world.cared_for))
    client_for(world.carer).get(url(world.cared_for, "supporters/"))
    reads = list(RecordRead.objects.filter(person=world.cared_for).order_by("at", "pk"))
    assert [(r.user, r.as_role, r.what, r.routine) for r in reads] == [
        (world.practitioner, "practitioner", "the record", True),
        (world.carer, "carer", "the record", True),
        (world.carer, "carer", "people who support them", True),
    ]


@pytest.mark.parametrize(
    "persona",
    [
        "member",
        "admin",
        "worker",
        "commissioner",
        "platform",
        "outsider",
        "moderator",
        "superuser",
        "personal_assistant",
    ],
)
def test_anyone_else_cannot_read_a_record_and_nothing_is_logged(world, persona):
    assert client_for(getattr(world, persona)).get(url(world.cared_for)).status_code == 404
    assert not RecordRead.objects.exists()


def test_another_areas_practitioner_cannot_read(world):
    from personfirst.core.access.models import RoleGrant, RoleName

    RoleGrant.objects.create(user=world.outsider, council_area=world.other_area, role=RoleName.PRACTITIONER)
    assert client_for(world.outsider).get(url(world.cared_for)).status_code == 404


def test_the_person_sees_who_has_looked_at_their_record(world):
    client_for(world.practitioner).get(url(world.own_record))
    person = client_for(world.person)
    person.get(url(world.own_record))
    page = person.get(url(world.own_record, "who-has-looked/")).content.decode()
    assert "Who has looked at my record" in page
    assert "Priya Practitioner</strong>, practitioner" in page
    assert "<strong>You</strong>" in page


def test_who_has_looked_is_for_the_person_and_those_who_act_for_them(world):
    reads = url(world.cared_for, "who-has-looked/")
    assert client_for(world.carer).get(reads).status_code == 403  # sees the record, does not act for her
    assert client_for(world.practitioner).get(reads).status_code == 403
    assert client_for(world.outsider).get(reads).status_code == 404
    Supporter.objects.filter(user=world.carer).update(may_act=True)
    assert client_for(world.carer).get(reads).status_code == 200


# --- a reason when it is not routine ------------------------------------------------


def test_a_team_manager_gives_a_reason_and_the_person_sees_it(world):
    manager = client_for(world.team_manager)
    response = manager.get(url(world.own_record))
    assert response.status_code == 302 and response["Location"] == url(world.own_record, "reason/")
    assert "Sam" not in manager.get(url(world.own_record, "reason/")).content.decode()  # no name before a reason
    response = manager.post(url(world.own_record, "reason/"), {"reason": "short"})
    assert_error_summary_links_resolve(response, expected={"#id_reason": "Say in a sentence"})
    assert not RecordRead.objects.exists()

    manager.post(url(world.own_record, "reason/"), {"reason": "Covering for Priya while she is on leave this week."})
    assert manager.get(url(world.own_record)).status_code == 200
    read = RecordRead.objects.get()
    assert (read.user, read.routine, read.as_role) == (world.team_manager, False, "with a reason")
    assert read.reason == "Covering for Priya while she is on leave this week."
    page = client_for(world.person).get(url(world.own_record, "who-has-looked/")).content.decode()
    assert "Not routine" in page and "Covering for Priya" in page


def test_a_reason_lasts_an_hour(world):
    import time_machine

    services.give_reason(world.own_record, user=world.approver, reason="Checking the budget request today.")
    assert world.approver.has_perm("people.view_person", world.own_record)
    with time_machine.travel(timezone.now() + ExceptionalAccess.DURATION + datetime.timedelta(seconds=1)):
        assert not world.approver.has_perm("people.view_person", world.own_record)


@pytest.mark.parametrize("persona", ["commissioner", "platform", "member"])
def test_commissioners_and_platform_admins_cannot_give_a_reason(world, persona):
    client = client_for(getattr(world, persona))
    assert client.get(url(world.own_record, "reason/")).status_code == 404
    client.post(url(world.own_record, "reason/"), {"reason": "I would like to read this record please."})
    assert not ExceptionalAccess.objects.exists()
    assert client.get(url(world.own_record)).status_code == 404


# --- supporters and consent ----------------------------------------------------------


SUPPORTER = {"name": "Nadia Haddad", "email": "nadia@people.example", "kind": "family", "abilities": ["edit"]}


def test_a_practitioner_records_the_persons_consent_and_the_supporter_accepts(world):
    practitioner = client_for(world.practitioner)
    response = practitioner.post(url(world.cared_for, "supporters/"), SUPPORTER)
    assert_error_summary_links_resolve(
        response,
        expected={"#id_consent_how_0": "Select how the person told you", "#id_consent_confirmed": "Confirm"},
    )
    assert not mail.outbox
    practitioner.post(
        url(world.cared_for, "supporters/"), {**SUPPORTER, "consent_how": "in_person", "consent_confirmed": "on"}
    )
    supporter = Supporter.objects.get(email="nadia@people.example")
    assert (supporter.consent_by, supporter.consent_how, supporter.consent_recorded_by) == (
        "practitioner",
        "in_person",
        world.practitioner,
    )
    assert supporter.may_edit and not supporter.may_act
    assert supporter.status == "invited"

    # She creates her account from the e-mail, and then sees the record.
    link = link_in(mail.outbox[-1])
    nadia = Client()
    assert b"Create your account" in nadia.get(link).content
    response = nadia.post(link, {"full_name": "Nadia Haddad", "password": "correct-horse-battery-26"})
    assert response["Location"] == url(world.cared_for)
    assert nadia.get(url(world.cared_for)).status_code == 200
    supporter.refresh_from_db()
    assert supporter.status == "current"


def test_the_person_adds_a_supporter_themselves_and_ends_their_access(world):
    person = client_for(world.person)
    person.post(url(world.own_record, "supporters/"), {**SUPPORTER, "abilities": ["act"]})
    supporter = Supporter.objects.get(email="nadia@people.example")
    assert (supporter.consent_by, supporter.consent_how, supporter.consent_recorded_by) == (
        "person",
        "online",
        world.person,
    )
    client_for(world.member)  # someone else entirely cannot use her link
    link = link_in(mail.outbox[-1])
    assert client_for(world.member).get(link).status_code == 403
    nadia = Client()
    nadia.post(link, {"full_name": "Nadia Haddad", "password": "correct-horse-battery-26"})
    assert nadia.get(url(world.own_record, "who-has-looked/")).status_code == 200  # she acts for him

    person.post(url(world.own_record, f"supporters/{supporter.pk}/end/"))
    supporter.refresh_from_db()
    assert supporter.ended_by == world.person
    assert nadia.get(url(world.own_record)).status_code == 404


def test_a_supporter_is_gone_after_their_last_day(world):
    import time_machine

    Supporter.objects.filter(user=world.carer).update(valid_until=timezone.localdate())
    assert world.carer.has_perm("people.view_person", world.cared_for)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1)):
        assert not world.carer.has_perm("people.view_person", world.cared_for)


def test_the_carer_changes_the_record_with_her(world):
    carer = client_for(world.carer)
    response = carer.post(
        url(world.cared_for, "change/"), {"given_name": "Rose", "family_name": "Ellis", "what_matters": "Her garden."}
    )
    assert response.status_code == 302
    world.cared_for.refresh_from_db()
    assert world.cared_for.what_matters == "Her garden."
    assert RecordRead.objects.filter(user=world.carer, what="the record, to change it").exists()


def test_a_supporter_who_may_only_see_cannot_change(world):
    Supporter.objects.filter(user=world.carer).update(may_edit=False)
    assert client_for(world.carer).get(url(world.cared_for, "change/")).status_code == 403


def test_supporters_cannot_add_supporters(world):
    response = client_for(world.carer).post(url(world.cared_for, "supporters/"), SUPPORTER)
    assert response.status_code == 403
    assert not Supporter.objects.filter(email="nadia@people.example").exists()


def test_the_same_supporter_twice_is_refused(world):
    client_for(world.person).post(url(world.own_record, "supporters/"), SUPPORTER)
    response = client_for(world.person).post(url(world.own_record, "supporters/"), SUPPORTER)
    assert_error_summary_links_resolve(response, expected={"#id_email": "already one of this person's supporters"})


# --- inviting the person to sign in -----------------------------------------------------


def test_the_practitioner_invites_the_person_to_sign_in(world):
    client_for(world.practitioner).post("/people/new/", NEW)
    mina = Person.objects.get(given_name="Mina")
    client_for(world.practitioner).post(url(mina, "invite/"))
    assert mail.outbox[-1].to == ["mina@people.example"]
    visitor = Client()
    visitor.post(link_in(mail.outbox[-1]), {"full_name": "Mina Haddad", "password": "correct-horse-battery-26"})
    mina.refresh_from_db()
    assert mina.user is not None
    assert "Your record" in visitor.get(url(mina)).content.decode()


def test_inviting_someone_without_an_address_says_what_to_do(world):
    response = client_for(world.practitioner).post(url(world.cared_for, "invite/"), follow=True)
    assert "Add the person&#x27;s e-mail address to their record first." in response.content.decode()
    assert not mail.outbox


# --- the change log keeps no free text of a record -------------------------------------------


def test_the_change_log_keeps_none_of_what_was_typed_about_a_person(world):
    secret_bits = [
        "Zephyrine",
        "Quillfeather",
        "17 Larch Close",
        "07700 900123",
        "Her prize marrows",
        "zq@people.example",
    ]
    practitioner = client_for(world.practitioner)
    practitioner.post(
        "/people/new/",
        {
            "given_name": "Zephyrine",
            "family_name": "Quillfeather",
            "address": "17 Larch Close",
            "phone": "07700 900123",
            "email": "zq@people.example",
            "what_matters": "Her prize marrows",
        },
    )
    person = Person.objects.get(given_name="Zephyrine")
    practitioner.post(
        url(person, "change/"),
        {"given_name": "Zephyrine", "family_name": "Quillfeather", "what_matters": "Her prize marrows, and rain"},
    )
    practitioner.post(
        url(person, "supporters/"),
        {
            **SUPPORTER,
            "name": "Quillfeather Junior",
            "consent_how": "phone",
            "consent_confirmed": "on",
            "consent_note": "Her prize marrows came up",
        },
    )
    entries = LogEntry.objects.filter(content_type__app_label="people")
    assert entries.count() >= 3  # created, changed, a supporter added: each is on the log
    created = entries.get(object_pk=str(person.pk), action=LogEntry.Action.CREATE)
    assert created.changes_dict["what_matters"][1] == "(not kept in the log)"
    changed = entries.get(object_pk=str(person.pk), action=LogEntry.Action.UPDATE)
    assert "what_matters" in changed.changes_dict  # that it changed is kept
    for entry in entries:
        stored = " ".join(
            [entry.object_repr, entry.changes_text or "", json.dumps(entry.changes), json.dumps(entry.serialized_data)]
        )
        for bit in [*secret_bits, "and rain", "Quillfeather Junior", "came up", "nadia@people.example"]:
            assert bit not in stored, (bit, entry.changes)


def test_the_dashboard_links_to_your_record_and_those_you_support(world):
    assert (
        'href="/people/' + str(world.own_record.pk) + '/">Your record'
        in client_for(world.person).get("/dashboard/").content.decode()
    )
    page = client_for(world.carer).get("/dashboard/").content.decode()
    assert "Rose Ellis</a>" in page
    assert "You do not belong to any organisation" not in page
    assert not RecordRead.objects.exists()  # a link is not a read
