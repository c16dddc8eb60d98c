"""Settings for `make run` on a developer's machine: the demo, never production.

DEBUG stays off unless asked for (`DEBUG=1 make run`), so the demo shows the
service's own error pages, as people will see them, and never Django's debug
page listing every address. WhiteNoise serves the front-end build straight
from the static folders, so no collectstatic is needed."""

from .base import *  # noqa: F403

DEBUG = envbool("DEBUG", False)  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
SECRET_KEY = SECRET_KEY or "dev-only-not-secret-9f3c1e7a2b6d4c8e0f1a3b5c7d9e2f4a6b8c0d1e3f5a7b9c"  # noqa: F405
