"""The weekly e-mail about overdue actions and actions due in the next seven
days (plans.digests and ``manage.py send_action_digests``), with the clock
fixed so that "overdue" and "this week" mean the same on every run."""

from __future__ import annotations

import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import override_settings

from personfirst.core.access.tests.helpers import ADMIN, join
from personfirst.readiness.plans import digests, services
from personfirst.readiness.plans.models import Action, ActionStatus

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
# A Monday morning.
NOW = datetime.datetime(2027, 3, 8, 7, 0, tzinfo=LONDON)
TODAY = NOW.date()
SITE = "https://care.example.org"


def make(world, title, due, *, status=ActionStatus.NOT_STARTED, organisation=None, owner="") -> Action:
    return Action.objects.create(
        organisation=organisation or world.org, title=title, due_date=due, status=status, owner=owner
    )


def run(*args) -> str:
    out = io.StringIO()
    call_command("send_action_digests", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def second_admin(world):
    """Another admin of world.org, so that "each admin" means two."""
    from personfirst.core.accounts.models import User

    user = User.objects.create_user("second@carers.example", "x", full_name="Sid Second")
    join(user, world.org, ADMIN)
    return user


def to(message) -> set[str]:
    return set(message.to)


@override_settings(SITE_ROOT=SITE)
@time_machine.travel(NOW, tick=False)
def test_overdue_actions_are_sent_to_each_admin(world, second_admin):
    make(world, "Brief the trustees", datetime.date(2027, 3, 1), owner="Sam")
    make(world, "Write the vision", datetime.date(2027, 3, 7), status=ActionStatus.IN_PROGRESS)
    make(world, "Done already", datetime.date(2027, 3, 2), status=ActionStatus.DONE)
    make(world, "Not for us", datetime.date(2027, 3, 2), status=ActionStatus.DROPPED)
    make(world, "Still a suggestion", datetime.date(2027, 3, 2), status=ActionStatus.SUGGESTED)
    make(world, "Far off", datetime.date(2027, 6, 1))
    make(world, "No date", None)

    output = run()

    assert len(mail.outbox) == 2  # one each, so nobody sees the other's address
    assert {frozenset(m.to) for m in mail.outbox} == {
        frozenset({world.admin.email}),
        frozenset({second_admin.email}),
    }
    message = next(m for m in mail.outbox if to(m) == {world.admin.email})
    assert message.subject == "Eastmere Carers' Centre: 2 actions overdue"
    body = message.body
    assert body.startswith("Hello Asha Admin,\n")
    assert "Overdue (2):" in body
    assert "- Brief the trustees\n  Was due: 1 March 2027. Who: Sam. Status: not started." in body
    assert "- Write the vision\n  Was due: 7 March 2027. Who: not decided yet. Status: in progress." in body
    assert body.index("Brief the trustees") < body.index("Write the vision")  # earliest first
    for left_out in ("Done already", "Not for us", "Still a suggestion", "Far off", "No date", "Due in the next"):
        assert left_out not in body
    assert f"{SITE}/organisations/{world.org.slug}/plan/" in body
    assert "&#x27;" not in body and "&amp;" not in body  # plain text, not HTML-escaped
    assert output.strip() == ("Sent 2 e-mails about 1 organisation with actions overdue or due in the next 7 days.")
    # The member, the worker and other organisations' admins get nothing.
    sent_to = set().union(*(to(m) for m in mail.outbox))
    assert not sent_to & {world.member.email, world.worker.email, world.outsider.email}


@override_settings(SITE_ROOT=SITE)
@time_machine.travel(NOW, tick=False)
def test_actions_due_this_week(world):
    make(world, "Due today", TODAY)
    make(world, "Due in a week", TODAY + datetime.timedelta(days=7), owner="Priya")
    make(world, "Due in eight days", TODAY + datetime.timedelta(days=8))

    run()

    [message] = mail.outbox
    assert to(message) == {world.admin.email}
    assert message.subject == "Eastmere Carers' Centre: 2 actions due in the next 7 days"
    assert "Overdue" not in message.body
    assert "Due in the next 7 days (2):" in message.body
    assert "- Due today\n  Due: 8 March 2027." in message.body
    assert "- Due in a week\n  Due: 15 March 2027. Who: Priya." in message.body
    assert "Due in eight days" not in message.body


@time_machine.travel(NOW, tick=False)
def test_both_in_one_e_mail(world):
    make(world, "Late", TODAY - datetime.timedelta(days=1))
    make(world, "Soon", TODAY + datetime.timedelta(days=1))
    run()
    [message] = mail.outbox
    assert message.subject == "Eastmere Carers' Centre: 1 action overdue and 1 due in the next 7 days"
    assert message.body.index("Overdue (1):") < message.body.index("Due in the next 7 days (1):")


@time_machine.travel(NOW, tick=False)
def test_nothing_due_means_no_e_mail(world):
    make(world, "Far off", TODAY + datetime.timedelta(days=30))
    make(world, "Done late", TODAY - datetime.timedelta(days=30), status=ActionStatus.DONE)
    make(world, "Set aside", TODAY - datetime.timedelta(days=3), status=ActionStatus.DROPPED)

    output = run()

    assert mail.outbox == []
    assert output.strip() == "Sent 0 e-mails about 0 organisations with actions overdue or due in the next 7 days."


@time_machine.travel(NOW, tick=False)
def test_each_organisation_writes_to_its_own_admins_only(world):
    make(world, "Carers' step", TODAY)
    make(world, "Westholm's step", TODAY - datetime.timedelta(days=2), organisation=world.other_org)

    run()

    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {world.admin.email, world.outsider.email}
    assert "Carers' step" in by_recipient[world.admin.email].body
    assert "Westholm" not in by_recipient[world.admin.email].body
    assert "Westholm's step" in by_recipient[world.outsider.email].body
    assert "Carers' step" not in by_recipient[world.outsider.email].body
    assert by_recipient[world.outsider.email].subject.startswith("Westholm Day Centre: ")


@time_machine.travel(NOW, tick=False)
def test_inactive_and_erased_admins_get_nothing(world, second_admin):
    from personfirst.core.privacy import erase

    make(world, "Late", TODAY - datetime.timedelta(days=1))
    erase(second_admin)
    world.admin.is_active = False
    world.admin.save()

    output = run()

    assert mail.outbox == []
    assert "No active administrator to write to: Eastmere Carers' Centre." in output


def test_today_can_be_given_and_a_dry_run_sends_nothing(world):
    make(world, "Late", datetime.date(2027, 3, 1))

    output = run("--today", "2027-03-01", "--dry-run")  # due that day: upcoming, not overdue
    assert mail.outbox == []
    assert "Eastmere Carers' Centre: 0 overdue, 1 due soon; to admin@carers.example" in output
    assert "Would send 1 e-mail about 1 organisation" in output

    run("--today", "2027-03-02")
    [message] = mail.outbox
    assert "1 action overdue" in message.subject


def test_a_bad_date_is_refused(db):
    with pytest.raises(CommandError, match="--today must be a date like"):
        run("--today", "next monday")


def test_collect_is_plain_python(world):
    """The selection works without the command (or a request)."""
    late = make(world, "Late", datetime.date(2027, 3, 1))
    soon = make(world, "Soon", datetime.date(2027, 3, 9))
    [digest] = digests.collect(datetime.date(2027, 3, 8))
    assert (digest.organisation, digest.overdue, digest.upcoming) == (world.org, [late], [soon])
    assert digest.recipients == [world.admin]
    services.set_status(late, ActionStatus.DONE, by=world.admin)
    [digest] = digests.collect(datetime.date(2027, 3, 8))
    assert digest.overdue == []
