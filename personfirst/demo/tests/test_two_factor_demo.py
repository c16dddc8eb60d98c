"""Demo users whose roles need two-factor sign-in have the authenticator the README names."""

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from personfirst.core.accounts import two_factor
from personfirst.demo import area


def test_demo_users_of_sensitive_roles_have_the_documented_authenticator(world):
    for name in ("platform", "council_admin", "practitioner"):
        device = TOTPDevice.objects.get(user=getattr(world, name))
        assert device.confirmed and device.key == area.DEMO_TOTP_KEY
        assert two_factor.secret(device).replace(" ", "") == area.DEMO_TOTP_SECRET
    assert not TOTPDevice.objects.filter(user=world.member).exists()
    assert area.DEMO_TOTP_SECRET in (settings.BASE_DIR / "README.md").read_text()


def test_loading_the_demo_twice_gives_one_authenticator(world):
    area.load()
    assert TOTPDevice.objects.filter(user=world.practitioner).count() == 1
