"""Settings for `make run` on a developer's machine: the demo, never production."""

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = SECRET_KEY or "dev-only-not-secret-9f3c1e7a2b6d4c8e0f1a3b5c7d9e2f4a6b8c0d1e3f5a7b9c"  # noqa: F405
