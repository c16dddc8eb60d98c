"""Throttling: sign-in locks count the address as signing in reads it, and
password reset is limited per address and per client, answers the same
for every address, and does the same work whether or not it has an account."""

from __future__ import annotations

import datetime
import re
import threading
from unittest import mock

import pytest
import time_machine
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.db import connection
from django.template import loader
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from personfirst.core.accounts import throttling, views
from personfirst.core.accounts.models import RequestCount

from .test_signing_in import RESET, SIGN_IN, sign_in, signed_in_as

VARIANTS = ["Member@Carers.Example", "MEMBER@CARERS.EXAMPLE", "  member@carers.example ", "member@CARERS.example"]
LOCKED = b"Too many attempts to sign in"
SAVEPOINT = re.compile(r'"s\d+_x\d+"')  # savepoint names differ from one request to the next


def post_from(client, path, data, address, **extra):
    return client.post(path, data, REMOTE_ADDR=address, **extra)


# --- signing in: the account lock ------------------------------------------------


def test_failures_typed_in_any_letter_case_lock_the_account_for_every_variant(world, client):
    # Each failure from its own address, so only the account lock can apply.
    for number, typed in enumerate([*VARIANTS, "member@carers.example"]):
        post_from(client, SIGN_IN, {"username": typed, "password": "not-the-password"}, f"192.0.2.{number + 1}")
    for number, typed in enumerate([*VARIANTS, "member@carers.example"]):
        response = post_from(client, SIGN_IN, {"username": typed, "password": world.password}, f"198.51.100.{number}")
        assert LOCKED in response.content, f"{typed!r} could still sign in"
        assert signed_in_as(client) is None


def test_four_failures_in_mixed_case_do_not_lock_the_account(world, client):
    for number, typed in enumerate(VARIANTS):
        post_from(client, SIGN_IN, {"username": typed, "password": "not-the-password"}, f"192.0.2.{number + 1}")
    response = post_from(client, SIGN_IN, {"username": VARIANTS[0], "password": world.password}, "198.51.100.1")
    assert response.status_code == 302
    assert signed_in_as(client) == world.member.pk


def test_the_lock_is_recorded_against_the_normalised_address(world, client):
    from axes.models import AccessAttempt

    for typed in VARIANTS:
        sign_in(client, typed, "not-the-password")
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"member@carers.example"}


def test_the_address_lock_still_works(world, client):
    for number in range(5):
        post_from(client, SIGN_IN, {"username": f"nobody{number}@nowhere.example", "password": "x"}, "203.0.113.7")
    response = post_from(client, SIGN_IN, {"username": world.member.email, "password": world.password}, "203.0.113.7")
    assert LOCKED in response.content
    assert signed_in_as(client) is None
    # Someone else, from another address, is not locked out.
    response = post_from(client, SIGN_IN, {"username": world.member.email, "password": world.password}, "203.0.113.8")
    assert response.status_code == 302
    assert signed_in_as(client) == world.member.pk


def test_behind_a_proxy_the_address_lock_is_for_the_client_not_the_proxy(world, client, settings):
    settings.PROXY_COUNT = 1
    proxy = "10.0.0.1"
    for number in range(5):
        post_from(
            client,
            SIGN_IN,
            {"username": f"nobody{number}@nowhere.example", "password": "x"},
            proxy,
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )
    data = {"username": world.member.email, "password": world.password}
    # What the client claims on the left is not believed: the proxy's entry on the right is.
    locked = post_from(client, SIGN_IN, data, proxy, HTTP_X_FORWARDED_FOR="198.51.100.9, 203.0.113.7")
    assert LOCKED in locked.content
    response = post_from(client, SIGN_IN, data, proxy, HTTP_X_FORWARDED_FOR="203.0.113.8")
    assert response.status_code == 302
    assert signed_in_as(client) == world.member.pk


def test_axes_username_normalises_credentials_and_the_posted_form():
    factory = RequestFactory()
    assert throttling.axes_username(None, {"username": " Member@Carers.EXAMPLE "}) == "member@carers.example"
    request = factory.post(SIGN_IN, {"username": "MEMBER@carers.example"})
    assert throttling.axes_username(request) == "member@carers.example"
    assert throttling.axes_username(factory.post(SIGN_IN, {})) is None


# --- password reset: limits ------------------------------------------------------------


def reset(client, email, address="192.0.2.1", **extra):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=address, **extra)


def test_fifty_five_requests_for_one_address_send_five_emails(world, client):
    for number in range(55):
        response = reset(client, VARIANTS[number % len(VARIANTS)], address=f"192.0.2.{number + 1}")
        assert response.status_code == 302
        assert response["Location"] == "/account/password/reset/sent/"
    assert len(mail.outbox) == 5
    assert {tuple(message.to) for message in mail.outbox} == {(world.member.email,)}


def test_the_address_limit_counts_every_letter_case_as_one_address(world, client, settings):
    settings.PASSWORD_RESET_PER_ADDRESS = 2
    reset(client, "Member@Carers.Example", address="192.0.2.1")
    reset(client, "member@carers.example", address="192.0.2.2")
    reset(client, "MEMBER@CARERS.EXAMPLE", address="192.0.2.3")
    assert len(mail.outbox) == 2
    # Another address is not held back.
    reset(client, world.admin.email, address="192.0.2.4")
    assert [message.to for message in mail.outbox][-1] == [world.admin.email]


def test_the_client_limit_counts_every_address_asked_for(world, client, settings):
    settings.PASSWORD_RESET_PER_CLIENT = 3
    for number in range(3):
        reset(client, f"nobody{number}@nowhere.example", address="203.0.113.7")
    reset(client, world.member.email, address="203.0.113.7")
    assert mail.outbox == [], "a fourth request from one client sends nothing"
    reset(client, world.member.email, address="203.0.113.8")
    assert [message.to for message in mail.outbox] == [[world.member.email]]


def test_behind_a_proxy_the_client_limit_is_for_the_client(world, client, settings):
    settings.PROXY_COUNT = 1
    settings.PASSWORD_RESET_PER_CLIENT = 1
    reset(client, "nobody@nowhere.example", address="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    reset(client, world.member.email, address="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7")
    assert mail.outbox == []
    reset(client, world.member.email, address="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.8")
    assert len(mail.outbox) == 1


def test_over_the_limit_the_answer_is_the_same_check_your_email_page(world, client, settings):
    settings.PASSWORD_RESET_PER_ADDRESS = 1
    first = client.post(RESET, {"email": world.member.email}, follow=True)
    second = client.post(RESET, {"email": world.member.email}, follow=True)
    assert len(mail.outbox) == 1
    assert first.redirect_chain == second.redirect_chain == [("/account/password/reset/sent/", 302)]
    assert first.content == second.content
    assert b"wait an hour before you ask again" in second.content


def test_the_limit_lifts_when_the_hour_is_over(world, client, settings):
    settings.PASSWORD_RESET_PER_ADDRESS = 1
    start = datetime.datetime(2026, 3, 4, 10, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        reset(client, world.member.email)
        reset(client, world.member.email)
        assert len(mail.outbox) == 1
    with time_machine.travel(start + datetime.timedelta(hours=1), tick=False):
        reset(client, world.member.email)
        assert len(mail.outbox) == 2
        # Windows that have ended are deleted as new ones start.
        assert not RequestCount.objects.filter(window_end__lte=timezone.now()).exists()


def test_the_counts_hold_no_address_anyone_can_read(world, client):
    reset(client, world.member.email, address="203.0.113.7")
    keys = list(RequestCount.objects.values_list("key", flat=True))
    assert len(keys) == 2
    assert not any("member" in key or "203.0.113" in key for key in keys)


def test_an_ipv6_client_is_counted_by_its_64_network():
    factory = RequestFactory()
    one = factory.get("/", REMOTE_ADDR="2001:db8:1:2:aaaa::1")
    other = factory.get("/", REMOTE_ADDR="2001:db8:1:2:bbbb::2")
    elsewhere = factory.get("/", REMOTE_ADDR="2001:db8:1:3::1")
    assert throttling.client_network(one) == throttling.client_network(other) == "2001:db8:1:2::/64"
    assert throttling.client_network(elsewhere) != throttling.client_network(one)
    assert throttling.client_network(factory.get("/", REMOTE_ADDR="192.0.2.1")) == "192.0.2.1"


def test_hit_counts_to_the_limit_and_no_further(db):
    assert [throttling.hit("test|one", 3) for _ in range(5)] == [True, True, True, False, False]
    assert throttling.hit("test|two", 3), "another name has its own count"


@pytest.mark.django_db(transaction=True)
def test_requests_arriving_together_are_all_counted():
    """Threads, each with its own database connection, count at once: none is lost."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race this guards against needs PostgreSQL")
    from django.db import connections

    threads, results, barrier = 8, [], threading.Barrier(8)

    def one() -> None:
        try:
            barrier.wait()
            results.append(throttling.hit("test|together", 5))
        finally:
            connections.close_all()

    workers = [threading.Thread(target=one) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert RequestCount.objects.get().count == threads
    assert sorted(results) == [False] * 3 + [True] * 5


# --- password reset: the same answer, in the same time -----------------------------------


def work_done(client, email, address):
    """What answering a reset request for this address does: the queries it
    runs (the start of each), the templates it renders and the tokens it makes."""
    with (
        CaptureQueriesContext(connection) as queries,
        mock.patch("django.template.loader.render_to_string", wraps=loader.render_to_string) as render,
        mock.patch.object(default_token_generator, "make_token", wraps=default_token_generator.make_token) as token,
    ):
        response = reset(client, email, address=address)
    assert response.status_code == 302
    return {
        "queries": [SAVEPOINT.sub("savepoint", " ".join(q["sql"].split()[:4])) for q in queries.captured_queries],
        "templates": [call.args[0] for call in render.call_args_list],
        "tokens": token.call_count,
    }


def test_an_address_with_no_account_gets_the_same_work_as_one_with_an_account(world, client):
    known = work_done(client, world.member.email, "192.0.2.1")
    unknown = work_done(client, "nobody@nowhere.example", "192.0.2.2")
    assert len(mail.outbox) == 1
    assert known["tokens"] == unknown["tokens"] == 1
    assert (
        known["templates"]
        == unknown["templates"]
        == [
            "accounts/email/password_reset_subject.txt",
            "accounts/email/password_reset.txt",
        ]
    )
    assert known["queries"] == unknown["queries"]
    assert any("accounts_user" in query for query in known["queries"])


@pytest.fixture
def keep_connection():
    """As Django's test client does: closing a response sends request_finished,
    whose close_old_connections would close the test's database connection
    (and the transaction it runs in) when it is not the test client closing it."""
    from django.core.signals import request_finished
    from django.db import close_old_connections

    request_finished.disconnect(close_old_connections)
    yield
    request_finished.connect(close_old_connections)


def reset_request(email):
    request = RequestFactory().post(RESET, {"email": email}, REMOTE_ADDR="192.0.2.1")
    request._dont_enforce_csrf_checks = True
    return request


def test_the_email_is_sent_only_after_the_answer_has_been_written(world, keep_connection):
    response = views.PasswordResetView.as_view()(reset_request(world.member.email))
    assert response.status_code == 302
    assert mail.outbox == [], "nothing is sent while the answer is being made"
    response.close()  # what the WSGI server does once it has sent the answer
    assert [message.to for message in mail.outbox] == [[world.member.email]]
    response.close()
    assert len(mail.outbox) == 1, "closing twice sends nothing more"


def test_an_address_with_no_account_is_sent_nothing_after_the_answer_either(world, keep_connection):
    response = views.PasswordResetView.as_view()(reset_request("nobody@nowhere.example"))
    response.close()
    assert mail.outbox == []


def test_an_email_that_cannot_be_sent_is_logged_not_raised(world, caplog, keep_connection):
    response = views.PasswordResetView.as_view()(reset_request(world.member.email))
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("no SMTP server")):
        response.close()
    assert "Could not send a password reset e-mail" in caplog.text
