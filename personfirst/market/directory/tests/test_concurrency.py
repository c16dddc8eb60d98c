"""Moderation under concurrent requests, with real transactions: each call
runs in a thread of its own with its own database connection (the ``race``
fixture in conftest.py). They run on SQLite and PostgreSQL.

Every test checks that a call that succeeded left its change in the
database, and that a call that was refused was told so by moderation
(``Conflict``), never by an IntegrityError or a lost write.
"""

from __future__ import annotations

import pytest

from personfirst.core.access.models import RoleGrant, RoleName
from personfirst.core.accounts.models import User
from personfirst.market.directory import moderation
from personfirst.market.directory.models import Decision, Service, Submission, SubmissionStatus
from personfirst.market.tests.fixtures import make_entry

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 3


def only_conflicts(outcomes) -> None:
    leaked = [o.error for o in outcomes if o.error is not None and not isinstance(o.error, moderation.Conflict)]
    assert not leaked, leaked


@pytest.fixture
def second_moderator(db):
    user = User.objects.create_user("second.moderator@personfirst.example", "x" * 12, full_name="Max Moderator")
    RoleGrant.objects.create(user=user, role=RoleName.DIRECTORY_MODERATOR)
    return user


def test_two_moderators_deciding_at_once_make_one_decision(world, provider, moderator, second_moderator, race):
    for round_ in range(ROUNDS):
        entry = make_entry(name=f"Lunch club {round_}", locations=[], areas=[])
        submission = moderation.submit(provider, entry, by=world.admin)

        outcomes = race(
            lambda s=submission: moderation.publish(s, by=moderator),
            lambda s=submission: moderation.reject(s, by=second_moderator, reasons="Say which days it runs."),
        )

        only_conflicts(outcomes)
        assert [o.ok for o in outcomes].count(True) == 1
        submission.refresh_from_db()
        assert Decision.objects.filter(submission=submission).count() == 1
        published = outcomes[0].ok
        assert submission.status == (SubmissionStatus.PUBLISHED if published else SubmissionStatus.REJECTED)
        assert Service.objects.filter(pk=entry["id"]).exists() == published
        loser = next(o for o in outcomes if not o.ok)
        # The one who lost is told what the other decided.
        assert loser.error.submission.status == submission.status


def test_sending_the_same_new_entry_twice_at_once_opens_one_submission(world, provider, race):
    for round_ in range(ROUNDS):
        entry = make_entry(name=f"Walking group {round_}", locations=[], areas=[])

        outcomes = race(*[lambda e=entry: moderation.submit(provider, e, by=world.admin) for _ in range(4)])

        only_conflicts(outcomes)
        assert Submission.objects.open().filter(service_id=entry["id"]).count() == 1
        assert any(o.ok for o in outcomes)
        # Whoever was refused is shown the submission that is waiting.
        for refused in (o for o in outcomes if not o.ok):
            assert str(refused.error.submission.service_id) == entry["id"]


def test_a_change_sent_while_a_moderator_decides_is_not_lost(world, provider, moderator, race):
    for round_ in range(ROUNDS):
        entry = make_entry(name=f"Coffee morning {round_}", locations=[], areas=[])
        submission = moderation.submit(provider, entry, by=world.admin)
        changed = {**entry, "description": f"Now on Thursdays too ({round_})."}

        outcomes = race(
            lambda s=submission: moderation.publish(s, by=moderator),
            lambda c=changed: moderation.submit(provider, c, by=world.admin),
        )

        only_conflicts(outcomes)
        resent = outcomes[1]
        assert resent.ok, resent.error
        # The change is either what was published, or waiting for a moderator: never dropped.
        waiting = Submission.objects.open().filter(service_id=entry["id"]).first()
        service = Service.objects.filter(pk=entry["id"]).first()
        in_queue = waiting is not None and waiting.entry["description"] == changed["description"]
        live = service is not None and service.description == changed["description"]
        assert in_queue or live
        if waiting is not None and service is not None:
            assert not waiting.is_new  # a change to the published service, shown as one to the moderator
