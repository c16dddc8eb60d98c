"""Helpers for the test suite that tests import (fixtures live in conftest.py)."""

from __future__ import annotations

from hypothesis import settings

# Every persona of conftest.py's ``world``, one per role, and who may do what is
# written against these names (tests/test_rules.py, tests/test_url_matrix.py).
PERSONAS = (
    "anonymous",
    "member",
    "admin",
    "worker",
    "commissioner",
    "platform",
    "outsider",
    # Council roles over Eastmere (each also a member of Eastmere Council).
    "council_admin",
    "practitioner",
    "team_manager",
    "approver",
    "finance_officer",
    # Roles over the whole service.
    "moderator",
    "scheme_admin",
    # People's records: Sam, who signs in to see his own; Carl, the carer of
    # Rose (who does not sign in); a personal assistant Sam employs.
    "person",
    "carer",
    "personal_assistant",
    # is_superuser, and no role: refused wherever a role is needed.
    "superuser",
)

# The "ci" profile's max_examples (conftest.py): the unit a test's own count is given in.
CI_EXAMPLES = 100


def examples(count: int) -> int:
    """max_examples for a property test that wants ``count`` examples under the
    "ci" profile, scaled to the profile loaded: ten times as many under
    "explore" (`make test-explore`), whose max_examples is ten times ci's.

    Use it as ``@settings(max_examples=examples(150), ...)``: a number written
    there directly would override every profile."""
    return max(1, count * settings.default.max_examples // CI_EXAMPLES)


def verify_session(client, user) -> None:
    """Record in a test client's session that ``user`` entered a two-factor code,
    if their roles need one (giving them an authenticator if they have none:
    the world's personas have the demo's), as the code page does after a right code."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from personfirst.core.access.roles import needs_two_factor

    if not needs_two_factor(user):
        return
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Test authenticator", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def current_code(user) -> str:
    """The code the user's authenticator shows now (tests of the code pages).
    Allows the same time step to be used again, as a test may sign in twice."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user).order_by("-confirmed", "pk").first()
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"
