"""Moderation: the five-working-day clock (England's bank holidays from the
``holidays`` package, tried across a bank-holiday weekend with
time-machine), decisions, differences, conflicts, the audit trail and staleness."""

from __future__ import annotations

import datetime

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.test import Client
from django.urls import reverse

from personfirst.market.directory import moderation, staleness, working_days
from personfirst.market.directory.models import Decision, Service, Submission, SubmissionStatus
from personfirst.market.tests.fixtures import make_entry

LONDON = datetime.timezone(datetime.timedelta(hours=1))  # British Summer Time


# --- The clock ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arrived", "due"),
    [
        # A plain week: Monday -> the next Monday.
        (datetime.date(2026, 6, 1), datetime.date(2026, 6, 8)),
        # Friday before the late May bank holiday (Monday 25 May 2026): Tue..Fri, then Monday 1 June.
        (datetime.date(2026, 5, 22), datetime.date(2026, 6, 1)),
        # Thursday before Easter 2026 (Good Friday 3 April, Easter Monday 6 April).
        (datetime.date(2026, 4, 2), datetime.date(2026, 4, 13)),
        # Christmas 2026: Friday 25 and Monday 28 (the substitute for Boxing Day) do not count.
        (datetime.date(2026, 12, 23), datetime.date(2027, 1, 4)),
        # Arriving on a Saturday counts from Monday.
        (datetime.date(2026, 6, 6), datetime.date(2026, 6, 12)),
    ],
)
def test_five_working_days_skip_weekends_and_english_bank_holidays(arrived, due):
    assert working_days.due_on(arrived) == due


def test_the_bank_holidays_are_englands():
    assert working_days.is_bank_holiday(datetime.date(2026, 8, 31))  # England's late summer bank holiday
    assert not working_days.is_bank_holiday(datetime.date(2026, 8, 3))  # Scotland's summer holiday only
    assert not working_days.is_bank_holiday(datetime.date(2026, 3, 17))  # St Patrick's Day: Northern Ireland


def test_a_decision_within_the_clock_across_a_bank_holiday_weekend(world, provider, moderator, places, time_machine):
    """Sent on the Friday before the late May bank holiday; published on the
    fifth working day (the next Monday but one) it is on time; a day later it would not be."""
    time_machine.move_to(datetime.datetime(2026, 5, 22, 16, 30, tzinfo=LONDON))
    submission = moderation.submit(provider, make_entry(), by=world.admin)
    assert submission.due_on == datetime.date(2026, 6, 1)
    time_machine.move_to(datetime.datetime(2026, 5, 26, 9, 0, tzinfo=LONDON))  # Tuesday, after the holiday
    assert working_days.working_days_between(datetime.date(2026, 5, 26), submission.due_on) == 4
    time_machine.move_to(datetime.datetime(2026, 6, 1, 17, 0, tzinfo=LONDON))
    assert not submission.is_overdue()
    moderation.publish(submission, by=moderator)
    decision = Decision.objects.get(submission=submission)
    assert decision.on_time and decision.outcome == "published"


def test_late_decisions_are_recorded_as_late_and_the_queue_puts_overdue_first(
    provider, moderator, places, time_machine
):
    time_machine.move_to(datetime.datetime(2026, 6, 1, 10, 0, tzinfo=LONDON))
    older = moderation.submit(provider, make_entry(name="Older"), by=None)
    time_machine.move_to(datetime.datetime(2026, 6, 5, 10, 0, tzinfo=LONDON))
    newer = moderation.submit(provider, make_entry(name="Newer"), by=None)
    time_machine.move_to(datetime.datetime(2026, 6, 9, 10, 0, tzinfo=LONDON))  # older was due on 8 June
    assert older.is_overdue() and not newer.is_overdue()
    assert list(Submission.objects.queue()) == [older, newer]
    moderation.reject(older, by=moderator, reasons="The prices are missing.")
    assert Decision.objects.get(submission=older).on_time is False


# --- Decisions -----------------------------------------------------------------------


def test_publishing_writes_the_entry_and_it_is_audited(provider, moderator, places, django_capture_on_commit_callbacks):
    entry = make_entry()
    submission = moderation.submit(provider, entry, by=None)
    assert not Service.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        moderation.publish(submission, by=moderator)
    service = Service.objects.get(pk=entry["id"])
    assert service.assured_date is not None
    assert [str(option.amount) for option in service.cost_options.all()] == ["35.00", "6.50"]
    logged = LogEntry.objects.get_for_object(Submission.objects.get(pk=submission.pk)).filter(actor=moderator)
    assert logged.exists()
    assert LogEntry.objects.get_for_object(Decision.objects.get(submission=submission)).exists()


def test_reasons_are_needed_to_reject_or_to_ask(provider, moderator, places):
    submission = moderation.submit(provider, make_entry(), by=None)
    with pytest.raises(ValueError):
        moderation.reject(submission, by=moderator, reasons="  ")
    with pytest.raises(ValueError):
        moderation.ask_for_information(submission, by=moderator, question="")


def test_asking_stops_the_clock_and_the_answer_starts_it_again(provider, moderator, places, time_machine):
    time_machine.move_to(datetime.datetime(2026, 6, 1, 10, 0, tzinfo=LONDON))
    entry = make_entry()
    submission = moderation.submit(provider, entry, by=None)
    moderation.ask_for_information(submission, by=moderator, question="Which days does it run?")
    time_machine.move_to(datetime.datetime(2026, 6, 10, 10, 0, tzinfo=LONDON))
    answered = moderation.submit(provider, {**entry, "description": "Mondays and Wednesdays."}, by=None)
    assert answered.pk == submission.pk
    assert answered.status == SubmissionStatus.PENDING
    assert answered.due_on == datetime.date(2026, 6, 17)


def test_a_second_decision_is_a_conflict(provider, moderator, places):
    submission = moderation.submit(provider, make_entry(), by=None)
    moderation.publish(submission, by=moderator)
    with pytest.raises(moderation.Conflict):
        moderation.reject(submission, by=moderator, reasons="Too late.")


def test_changes_are_shown_field_by_field(provider, moderator, places, publish):
    entry = make_entry()
    publish(entry)
    changed = make_entry(
        name=entry["name"], id=entry["id"], cost_options=entry["cost_options"], locations=entry["locations"]
    )
    changed["cost_options"][0] = {**changed["cost_options"][0], "amount": "40.00"}
    changed["description"] = "Now with a minibus."
    submission = moderation.submit(
        provider,
        {
            **changed,
            "areas": entry["areas"],
            "schedules": entry["schedules"],
            "contacts": entry["contacts"],
            "languages": entry["languages"],
        },
        by=None,
    )
    assert not submission.is_new
    found = {change.label: (change.before, change.after) for change in moderation.changes(submission)}
    assert found == {
        "Description": (entry["description"], "Now with a minibus."),
        "Price 1 (Weekday session)": (
            "£35.00 per session (a personal budget or direct payment can pay)",
            "£40.00 per session (a personal budget or direct payment can pay)",
        ),
    }


def test_another_provider_cannot_change_a_service(provider, world, places, publish):
    from personfirst.market.directory.models import Provider

    service = publish(make_entry())
    other = Provider.objects.create(organisation=world.other_org, name="Westholm")
    with pytest.raises(moderation.NotAllowed):
        moderation.submit(other, make_entry(id=str(service.pk)), by=None)


# --- Pages ---------------------------------------------------------------------------------


def test_a_moderator_decides_on_the_page_and_a_conflict_answers_409(provider, moderator, places, world):
    submission = moderation.submit(provider, make_entry(), by=world.admin)
    client = Client()
    client.force_login(moderator)
    page = client.get(reverse("directory:review", args=[submission.pk]))
    assert "Decision due by" in page.content.decode()
    missing = client.post(reverse("directory:review", args=[submission.pk]), {"decision": "reject"})
    assert "Say why the entry is not published" in missing.content.decode()
    done = client.post(reverse("directory:review", args=[submission.pk]), {"decision": "publish"})
    assert done.status_code == 302
    again = client.post(reverse("directory:review", args=[submission.pk]), {"decision": "publish"})
    assert again.status_code == 409
    assert "already been dealt with" in again.content.decode()


def test_a_provider_sees_the_status_and_the_date_due(provider, world, places):
    client = Client()
    client.force_login(world.admin)
    response = client.post(reverse("directory:add", args=[world.org.slug]), _form(name="Garden Club"))
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(response["Location"]).content.decode()
    assert "Waiting for a decision" in page and "Decision due by" in page


def _form(**changes) -> dict:
    data = {
        "name": "Riverside Day Centre",
        "description": "Activities and lunch.",
        "themes": ["things-to-do"],
        "status": "active",
        "price_1_option": "A day",
        "price_1_amount": "35",
        "price_1_unit": "session",
        "price_1_budget": ["yes"],
        "price_2_option": "Lunch",
        "price_2_amount": "6.50",
        "price_2_unit": "item",
        "place_1_name": "Riverside Hall",
        "place_1_address_1": "1 River Lane",
        "place_1_city": "Norwich",
        "place_1_postcode": "nr1 1ae",
        "area_council": ["yes"],
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"price_1_amount": "lots"}, "Enter the price 1 as a number of pounds, like 12.50"),
        ({"price_1_amount": "-3"}, "Enter the price 1 as pounds and pence, like 12.50, from 0 up"),
        ({"price_1_unit": ""}, "Choose how price 1 is charged, for example per hour"),
        ({"place_1_postcode": "BT1 1AA"}, "Northern Ireland"),
        ({"place_1_postcode": "NR99 9ZZ"}, "We cannot find the postcode NR99 9ZZ"),
        ({"place_1_postcode": "GY1 1AA"}, "not where it is on the map"),
        ({"themes": []}, "Choose at least one theme people might look under"),
        ({"area_districts": "NR1, banana"}, "“banana” is not a postcode district"),
    ],
)
def test_the_entry_form_says_what_is_wrong(provider, world, places, changes, message):
    client = Client()
    client.force_login(world.admin)
    response = client.post(reverse("directory:add", args=[world.org.slug]), _form(**changes))
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and message in page


# --- Staleness ------------------------------------------------------------------------


# In the future: the moderator's grant starts when the test world is made.
def test_stale_entries_go_to_the_provider_then_the_moderators(provider, moderator, publish, time_machine, world):
    time_machine.move_to(datetime.datetime(2027, 1, 5, 9, 0, tzinfo=datetime.UTC))
    service = publish(make_entry())
    time_machine.move_to(datetime.datetime(2027, 4, 1, 9, 0, tzinfo=LONDON))  # under three months
    assert staleness.flag().to_providers == []
    time_machine.move_to(datetime.datetime(2027, 4, 7, 9, 0, tzinfo=LONDON))
    flagged = staleness.flag()
    assert flagged.to_providers == [service]
    assert world.admin.email in mail.outbox[-1].to
    assert staleness.flag().to_providers == []  # only once
    time_machine.move_to(datetime.datetime(2027, 4, 22, 9, 0, tzinfo=LONDON))
    assert staleness.flag().to_moderators == [service]
    assert mail.outbox[-1].to == [moderator.email]
    client = Client()
    client.force_login(moderator)
    assert service.name in client.get(reverse("directory:queue")).content.decode()
    # The provider confirms it: checked today, flags cleared.
    client.force_login(world.admin)
    client.post(reverse("directory:confirm", args=[service.pk]))
    service.refresh_from_db()
    assert service.assured_date == datetime.date(2027, 4, 22)
    assert service.stale_flagged_at is None and service.stale_escalated_at is None
