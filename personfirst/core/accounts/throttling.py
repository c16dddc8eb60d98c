"""Throttling by the e-mail address as the service understands it, and by client.

Sign-in: django-axes counts failures per account and per client address.
It asks `axes_username` for the account, which normalises the address the
same way signing in does (accounts.models.normalise_email), so typing
"Member@Carers.EXAMPLE" counts against the same account as
"member@carers.example".

Password reset: `password_reset_allowed` counts each request against the
normalised address and against the client (accounts/client_ip.py, so it
works behind PROXY_COUNT proxies; an IPv6 client is counted by its /64
network, which one household or server usually holds whole). The counts are
kept in the database (RequestCount), like axes' own, so every app server
sees the same ones, and each request increments and reads its count in one
transaction that holds the row, so requests arriving together are each
counted once and each see their own count.
"""

from __future__ import annotations

import datetime
import ipaddress
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .client_ip import client_ip
from .models import RequestCount, normalise_email

logger = logging.getLogger(__name__)

HOUR = 60 * 60
_SALT = "personfirst.core.accounts.throttling"


def axes_username(request: HttpRequest | None, credentials: dict | None = None) -> str | None:
    """The account a sign-in attempt is for, as django-axes counts it (AXES_USERNAME_CALLABLE)."""
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        typed = credentials.get(field)
    elif request is not None:
        typed = getattr(request, "data", request.POST).get(field)
    else:
        typed = None
    return None if typed is None else normalise_email(typed)


def client_network(request: HttpRequest) -> str:
    """The client's address; for IPv6, its /64 network."""
    address = client_ip(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def hit(name: str, limit: int, period: int = HOUR) -> bool:
    """Count one request for `name` in the current window of `period`
    seconds, and say whether the count is still within `limit`.

    Windows are fixed (a new one starts every `period` seconds), so at most
    2 x `limit` requests can pass in any `period` that spans two windows.
    """
    now = timezone.now()
    start = int(now.timestamp()) // period * period
    key = salted_hmac(_SALT, f"{name}|{period}|{start}", algorithm="sha256").hexdigest()
    rows = RequestCount.objects.filter(key=key)
    # The UPDATE locks the row until the transaction ends, so the count read
    # back is the one this request made: requests arriving together queue
    # for the row (PostgreSQL) or the database (SQLite), and none is missed.
    with transaction.atomic():
        if rows.update(count=F("count") + 1):
            return rows.values_list("count", flat=True).get() <= limit
        window_end = datetime.datetime.fromtimestamp(start + period, tz=datetime.UTC)
        try:
            with transaction.atomic():
                RequestCount.objects.create(key=key, window_end=window_end, count=1)
        except IntegrityError:  # another request made the row first
            rows.update(count=F("count") + 1)
            return rows.values_list("count", flat=True).get() <= limit
    RequestCount.objects.filter(window_end__lte=now).delete()  # windows that have ended
    return limit >= 1


def password_reset_allowed(request: HttpRequest, email: str) -> bool:
    """Count a password reset request for this address and this client;
    False once either has asked more often than the hour allows."""
    by_address = hit(f"password-reset|address|{normalise_email(email)}", settings.PASSWORD_RESET_PER_ADDRESS)
    by_client = hit(f"password-reset|client|{client_network(request)}", settings.PASSWORD_RESET_PER_CLIENT)
    if not by_address:
        logger.warning("Password reset: too many requests for one address this hour; no e-mail sent")
    if not by_client:
        logger.warning("Password reset: too many requests from one client this hour; no e-mail sent")
    return by_address and by_client
