"""Two-factor sign-in: a time-based code from an authenticator app (TOTP), with
single-use recovery codes (django-otp's TOTP and static devices).

Who must use it is a rule about roles (``access.roles.needs_two_factor``); the
middleware (``TwoFactorMiddleware``) holds such a person, once signed in with
their password, on the set-up or code pages until they have entered a code.
Everyone else may turn it on from their account page.

Wrong codes are counted per person (on their authenticator device, so the
count is in the database and holds on every app server). After
``TWO_FACTOR_FAILURE_LIMIT`` wrong codes in a row the person is signed out
and no code is accepted for ``TWO_FACTOR_COOLOFF_MINUTES``; a right code
resets the count. django-otp's own growing delays are turned off in the
settings, so this is the one limit, stated here.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from datetime import timedelta

import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODES = 10
AUTHENTICATOR = "Authenticator app"
RECOVERY = "Recovery codes"


def failure_limit() -> int:
    return getattr(settings, "TWO_FACTOR_FAILURE_LIMIT", 5)


def cooloff() -> timedelta:
    return timedelta(minutes=getattr(settings, "TWO_FACTOR_COOLOFF_MINUTES", 15))


def authenticator(user) -> TOTPDevice | None:
    """The person's authenticator, once they have set it up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def is_set_up(user) -> bool:
    return authenticator(user) is not None


def pending_authenticator(user) -> TOTPDevice:
    """The authenticator being set up: made on the first visit to the set-up
    page, kept (with the same secret) until a code confirms it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR, confirmed=False)
    return device


def secret(device: TOTPDevice) -> str:
    """The secret in base32, as authenticator apps take it typed in, in groups of four."""
    text = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The set-up link as a QR code: inline SVG, with its own accessible name."""
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=4, dark="#0b0c0c", light="#ffffff", title="QR code to scan with your authenticator app"
    )
    return svg.replace("<svg ", '<svg role="img" focusable="false" ', 1)


def new_recovery_codes(user) -> list[str]:
    """Replace the person's recovery codes with new ones; shown once."""
    with transaction.atomic():
        device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY, defaults={"confirmed": True})
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
        StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return [f"{code[:4]} {code[4:8]} {code[8:12]} {code[12:]}".strip() for code in codes]


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@dataclass(frozen=True)
class Attempt:
    device: object | None  # the device that accepted the code, or None
    locked_until: object | None = None  # set when no code may be tried now


def locked_until(device: TOTPDevice):
    """When the person may try codes again, or None if they may now."""
    if device.throttling_failure_count >= failure_limit() and device.throttling_failure_timestamp:
        until = device.throttling_failure_timestamp + cooloff()
        if until > timezone.now():
            return until
    return None


def _normalise(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "").lower()


def confirm(device: TOTPDevice, code: str) -> bool:
    """Set-up: the first code from the new authenticator confirms it."""
    if device.verify_token(_normalise(code)):
        device.confirmed = True
        device.throttle_reset(commit=False)
        device.save()
        TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
        return True
    return False


def check(user, code: str) -> Attempt:
    """A code from the authenticator, or a recovery code (used up by using it)."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).order_by("pk").first()
        if device is None:
            return Attempt(None)
        until = locked_until(device)
        if until is not None:
            return Attempt(None, locked_until=until)
        if device.throttling_failure_count >= failure_limit():
            device.throttle_reset()  # the lock has ended: start counting again
        code = _normalise(code)
        if code.isdigit() and device.verify_token(code):
            return Attempt(device)
        recovery = StaticDevice.objects.filter(user=user, confirmed=True).first()
        if recovery is not None and recovery.verify_token(code):
            device.throttle_reset()
            return Attempt(recovery)
        if not code.isdigit():
            device.throttle_increment()  # verify_token counted a wrong number already
        device.refresh_from_db()
        return Attempt(None, locked_until=locked_until(device))


def turn_off(user) -> None:
    """Remove the authenticator and recovery codes (only for someone who need not use them)."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
