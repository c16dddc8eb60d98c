"""Personal data across every app: each app declares what it holds
(personfirst/core/privacy.py and each app's personal_data.py); export then
erasure of someone who has every kind of record leaves none of it anywhere."""

from __future__ import annotations

import datetime
import json
import uuid

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import CHANGE
from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone

from personfirst.core import privacy
from personfirst.core.accounts.models import ApiToken, User
from personfirst.core.accounts.tests.test_personal_data import traces_of
from personfirst.core.organisations import services as organisation_services
from personfirst.core.people.models import ExceptionalAccess, Person, PersonInvitation, RecordRead, Supporter
from personfirst.market.directory import moderation
from personfirst.market.directory.models import Contact, Service
from personfirst.market.search.models import Document
from personfirst.market.tests.fixtures import make_entry, places  # noqa: F401 (a fixture)
from personfirst.readiness.assessments import services as assessment_services
from personfirst.readiness.assessments.models import Answer, Item, Respondent
from personfirst.readiness.assessments.tests.conftest import HEALTH_CHECK, load_shipped
from personfirst.readiness.plans.models import Action, ProgressNote, Target

NAME = "Asha Admin"
EMAIL = "admin@carers.example"
PHONE = "07700 900123"
RECORD_NAME = "Asha Adebayo"
ADDRESS = "14 Quarry Mews, Eastmere"
WHAT_MATTERS = "Growing dahlias with my sister"
NEEDLES = (NAME, EMAIL, PHONE, RECORD_NAME, ADDRESS, WHAT_MATTERS)


# -- Every model is declared ---------------------------------------------------------------


def test_every_model_with_personal_fields_is_declared():
    assert privacy.undeclared() == []


def test_a_model_left_undeclared_is_named(monkeypatch):
    # The check must be able to fail: take one declaration away.
    holdings = dict(privacy._holdings)
    del holdings["plans.ProgressNote"]
    monkeypatch.setattr(privacy, "_holdings", holdings)
    assert privacy.undeclared() == ["plans.ProgressNote: text, written_by"]


def test_what_looks_personal():
    looks = {model._meta.label: privacy.personal_looking(model) for model in apps.get_models()}
    assert looks["people.Person"] >= ["given_name", "family_name"]
    assert "owner" in looks["plans.Action"]
    assert looks["directory.Phone"] == ["number"]
    assert looks["insight.PieceCount"] == []


def test_every_declaration_says_how_long_it_is_kept():
    for holding in privacy.holdings():
        assert holding.keep.says.strip(), holding.model
        assert holding.what.strip(), holding.model
        model = holding.model_class()
        for name in holding.fields:
            model._meta.get_field(name)  # a typo fails here
        for name in holding.mentions:
            model._meta.get_field(name)
        if holding.keep.period is not None:
            assert holding.keep.expired is not None, holding.model
    for label, reason in privacy.not_personal().items():
        apps.get_model(label)
        assert reason.strip(), label


def test_a_model_is_declared_once():
    with pytest.raises(ValueError, match="declared twice"):
        privacy.holds("plans.Action", what="again", fields=[], keep=privacy.Retention("again"))
    with pytest.raises(ValueError, match="declared twice"):
        privacy.holds_none("plans.Action", "again")


# -- Someone with every kind of record -------------------------------------------------------


@pytest.fixture
def everything(world, places, django_capture_on_commit_callbacks):  # noqa: F811
    """world.admin (Asha Admin) as a person with a record of their own, a carer,
    a respondent who wrote answers and notes, an action owner, a provider's editor
    who named themselves as a directory contact, and a reader of records."""
    user = world.admin
    now = timezone.now()

    # A record of their own, read by their practitioner, and an invitation to it.
    record = Person.objects.create(
        given_name="Asha",
        family_name="Adebayo",
        date_of_birth=datetime.date(1980, 5, 17),
        email=EMAIL,
        phone=PHONE,
        address=ADDRESS,
        what_matters=WHAT_MATTERS,
        council_area=world.area,
        user=user,
        created_by=world.practitioner,
    )
    RecordRead.objects.create(person=record, user=world.practitioner, what="the record", as_role="practitioner")
    PersonInvitation.issue(email=EMAIL, invited_by=world.practitioner, person=record)
    # The carer of Rose, who reads her record, once with a reason.
    Supporter.objects.create(
        person=world.cared_for,
        user=user,
        name=NAME,
        email=EMAIL,
        kind="carer",
        consent_by="person",
        consent_how="in_person",
        consent_note=f"Rose asked for {NAME} to help.",
        consent_given_at=now,
        consent_recorded_by=world.practitioner,
    )
    RecordRead.objects.create(person=world.cared_for, user=user, what="the record", as_role="carer")
    ExceptionalAccess.objects.create(
        person=world.cared_for,
        user=user,
        reason=f"{NAME} is covering for Carl",
        ends_at=now + datetime.timedelta(hours=1),
    )

    # A readiness assessment: they give their own view, with notes, and the agreed answer.
    instrument = load_shipped()[HEALTH_CHECK]
    assessment = assessment_services.start(organisation=world.org, instrument=instrument, by=user)
    respondent = Respondent.objects.create(assessment=assessment, user=user, perspective="manager", added_by=user)
    items = list(Item.objects.filter(version=assessment.version, type="ladder").order_by("pk")[:2])
    Answer.objects.create(
        assessment=assessment,
        item=items[0],
        respondent=respondent,
        level=2,
        notes=f"{NAME} thinks we are halfway",
        updated_by=user,
    )
    Answer.objects.create(
        assessment=assessment, item=items[1], level=3, notes="Agreed at the March meeting", updated_by=user
    )

    # Actions: one they wrote, one a colleague wrote naming them as owner; a note; a target.
    own = Action.objects.create(organisation=world.org, title="Recruit two volunteers", owner=NAME, created_by=user)
    Action.objects.create(
        organisation=world.org,
        title="Train the trustees",
        owner=NAME.lower(),
        detail=f"Ask {NAME} first",
        created_by=world.member,
    )
    ProgressNote.objects.create(action=own, text=f"Rang the volunteer centre on {PHONE}", written_by=user)
    Target.objects.create(
        organisation=world.org, instrument_key=instrument.key, item_key=items[0].key, level=4, set_by=user
    )

    # The directory: a provider's entry naming them as its contact, sent by them, published by the moderator.
    from personfirst.market.directory.models import Provider

    provider = Provider.objects.create(organisation=world.org, name="Riverside Trust", email=EMAIL)
    entry = make_entry(email=EMAIL, description=f"Run by {NAME} and friends.")
    entry["contacts"] = [
        {"id": str(uuid.uuid4()), "phone_id": str(uuid.uuid4()), "name": NAME, "title": "Manager", "phone": PHONE}
    ]
    submission = moderation.submit(provider, entry, by=user)
    with django_capture_on_commit_callbacks(execute=True):
        moderation.publish(submission, by=world.moderator)
    assert Contact.objects.filter(name=NAME).exists()
    assert Document.objects.filter(body__contains=NAME).exists()

    # Sign-in: a session, a sign-in record, a token, an invitation received.
    client = Client()
    client.post("/account/sign-in/", {"username": EMAIL, "password": world.password})
    ApiToken.issue(user, f"{NAME}'s script")
    organisation_services.invite(
        organisation=world.other_org, email=EMAIL, role="organisation_member", invited_by=world.outsider
    )
    # The admin site's own log names them.
    AdminLogEntry.objects.log_action(
        user_id=world.platform.pk,
        content_type_id=ContentType.objects.get_for_model(User).pk,
        object_id=str(user.pk),
        object_repr=NAME,
        action_flag=CHANGE,
        change_message=f"Changed {NAME}",
    )
    user.refresh_from_db()
    return user


def _rows_pointing_at(user) -> dict[str, int]:
    """For every model with a link to the account, how many rows point at it."""
    counts = {}
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if (
                field.is_relation
                and field.related_model is not None
                and field.related_model._meta.label == settings.AUTH_USER_MODEL
            ):
                count = model._default_manager.filter(**{field.name: user}).count()
                if count:
                    counts[model._meta.label] = counts.get(model._meta.label, 0) + count
    return counts


def test_export_holds_everything(everything):
    data = privacy.export(everything)
    json.dumps(data)  # plain JSON
    text = json.dumps(data)
    # Every model that links rows to them has a declaration whose export shows them.
    declared = {h.model: h for h in privacy.holdings()}
    for label in _rows_pointing_at(everything):
        holding = declared.get(label)
        assert holding is not None and holding.export is not None, f"{label} points at the person but is not exported"
        assert any(data[section] for section in holding.export(everything)), f"{label}'s export is empty"

    assert data["your_record"]["first_name"] == "Asha"
    assert data["your_record"]["what_matters"] == WHAT_MATTERS
    assert [r["as"] for r in data["reads_of_your_record"]] == ["practitioner"]
    assert data["record_invitations_received"]
    assert [s["kind"] for s in data["people_you_support"]] == ["Carer"]
    assert [r["as"] for r in data["records_you_read"]] == ["carer"]
    assert data["reasons_given"][0]["reason"] == f"{NAME} is covering for Carl"
    # Answers and notes they wrote, their own view included; the respondent rows.
    notes = {a["notes"]: a["your_own_view"] for a in data["answers_you_wrote"]}
    assert notes == {f"{NAME} thinks we are halfway": True, "Agreed at the March meeting": False}
    assert [r["perspective"] for r in data["assessments_you_gave_your_view_on"]] == ["Manager"]
    assert data["assessments_started_or_submitted"][0]["you_started_it"] is True
    # Actions they own, whoever wrote them; their notes; their targets.
    assert {(a["what"], a["you_wrote_it"]) for a in data["actions_you_own_or_wrote"]} == {
        ("Recruit two volunteers", True),
        ("Train the trustees", False),
    }
    assert [n["note"] for n in data["progress_notes_you_wrote"]] == [f"Rang the volunteer centre on {PHONE}"]
    assert [t["level"] for t in data["targets_you_set"]] == [4]
    # The directory: the entry they sent and the contact naming them.
    assert data["directory_entries_you_sent"][0]["entry"]["contacts"][0]["name"] == NAME
    assert data["directory_contacts_naming_you"] == [
        {"service": "Riverside Day Centre", "name": NAME, "title": "Manager", "phones": [PHONE]}
    ]
    assert [log["from"] for log in data["sign_ins"]] == ["127.0.0.1"]
    assert [t["name"] for t in data["api_tokens"]] == [f"{NAME}'s script"]
    assert data["invitations_received"][0]["organisation"] == "Westholm Day Centre"
    assert "key_hash" not in text and "token_hash" not in text


def test_the_moderator_exports_their_decision(everything, world):
    data = privacy.export(world.moderator)
    assert [d["outcome"] for d in data["directory_decisions_you_made"]] == ["Published"]
    assert data["your_record"] is None


def test_export_then_erase_leaves_nothing_of_them(everything, world):
    user = everything
    assert traces_of(*NEEDLES)  # they are everywhere to begin with
    privacy.export(user)
    counts = (Answer.objects.count(), Respondent.objects.count(), Action.objects.count(), ProgressNote.objects.count())

    privacy.erase(user)

    # Walk every text field of every model: none of their names, addresses,
    # phone numbers or words about them is left.
    assert traces_of(*NEEDLES) == []
    record = Person.objects.get(pk=Person.objects.filter(created_by=world.practitioner, given_name="Erased").get().pk)
    assert (record.user, record.date_of_birth, record.email, record.phone) == (None, None, "", "")
    assert not Supporter.objects.filter(user=user, ended_at__isnull=True).exists()
    # Action owners' names are gone, whoever wrote the action.
    assert set(
        Action.objects.filter(
            organisation=world.org, title__in=["Recruit two volunteers", "Train the trustees"]
        ).values_list("owner", flat=True)
    ) == {"[erased]"}
    # The search index no longer finds them.
    assert not Document.objects.filter(body__icontains="Asha").exists()
    assert Service.objects.get(name="Riverside Day Centre").email == ""
    # What the figures are made of stays.
    assert counts == (
        Answer.objects.count(),
        Respondent.objects.count(),
        Action.objects.count(),
        ProgressNote.objects.count(),
    )
    # Rows still pointing at the account point at an anonymised one.
    user.refresh_from_db()
    assert (user.full_name, user.email) == ("Erased user", f"erased-{user.pk}@invalid.example")
    # And the export of the erased account holds nothing of them either.
    assert not any(needle.lower() in json.dumps(privacy.export(user)).lower() for needle in NEEDLES)


# -- Retention -----------------------------------------------------------------------------


@pytest.fixture
def old_rows(world):
    """A revoked token, an accepted invitation and a read of a record, each made
    long ago, beside new ones."""
    long_ago = timezone.now() - datetime.timedelta(days=9 * 365)
    old_token, _ = ApiToken.issue(world.member, "old")
    ApiToken.objects.filter(pk=old_token.pk).update(revoked_at=long_ago)
    new_token, _ = ApiToken.issue(world.member, "new")
    ApiToken.objects.filter(pk=new_token.pk).update(revoked_at=timezone.now())
    old_read = RecordRead.objects.create(
        person=world.cared_for, user=world.carer, what="the record", as_role="carer", at=long_ago
    )
    new_read = RecordRead.objects.create(person=world.cared_for, user=world.carer, what="the record", as_role="carer")
    return {"tokens": (old_token.pk, new_token.pk), "reads": (old_read.pk, new_read.pk)}


def test_retention_is_a_dry_run_unless_asked(old_rows):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("apply_retention", stdout=out)
    text = out.getvalue()
    assert "Would remove 1 from accounts.ApiToken: Deleted 90 days after it is revoked or expires." in text
    assert "Would remove 1 from people.RecordRead:" in text
    assert "This was a dry run" in text
    assert ApiToken.objects.filter(pk__in=old_rows["tokens"]).count() == 2
    assert RecordRead.objects.filter(pk__in=old_rows["reads"]).count() == 2

    out = StringIO()
    call_command("apply_retention", "--apply", stdout=out)
    assert "Removed 1 from accounts.ApiToken" in out.getvalue()
    assert list(ApiToken.objects.filter(pk__in=old_rows["tokens"]).values_list("pk", flat=True)) == [
        old_rows["tokens"][1]
    ]
    assert list(RecordRead.objects.filter(pk__in=old_rows["reads"]).values_list("pk", flat=True)) == [
        old_rows["reads"][1]
    ]

    out = StringIO()
    call_command("apply_retention", "--apply", stdout=out)
    assert "Removed" not in out.getvalue()


def test_the_operations_page_lists_every_retention_rule():
    page = (settings.BASE_DIR / "docs" / "operations.md").read_text()
    for holding in privacy.holdings():
        assert f"| `{holding.model}` | {holding.keep.says} |" in page, holding.model
