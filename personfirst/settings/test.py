"""Settings for the test suite (pytest.ini points here)."""

from .base import *  # noqa: F403

SECRET_KEY = "test-only-not-secret-4b7e1d9c3a5f8e2b6d0c4a8f1e3b5d7c9a2e4f6b8d0a1c3e5f7"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]
