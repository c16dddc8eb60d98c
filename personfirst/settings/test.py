"""Settings for the test suite (pytest.ini points here)."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

SECRET_KEY = "test-only-not-secret-4b7e1d9c3a5f8e2b6d0c4a8f1e3b5d7c9a2e4f6b8d0a1c3e5f7"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]

# On SQLite, the test database is a file (as in production: WAL, IMMEDIATE
# transactions), not SQLite's shared in-memory database, whose connections
# share one cache: there a second writer is told "table is locked" at once
# instead of waiting its turn, so the concurrency tests (several threads,
# each with its own connection) could not stand for concurrent requests.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    TEST_DATABASE = Path(tempfile.gettempdir()) / f"personfirst-test-{os.getpid()}.sqlite3"
    DATABASES["default"]["TEST"] = {"NAME": str(TEST_DATABASE)}
