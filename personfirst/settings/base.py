"""Settings shared by every environment.

Everything that differs between a laptop and production comes from the
environment (see docs/operations.md); the helpers below keep that readable.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("PERSONFIRST_VAR_DIR", BASE_DIR / "var"))


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def envlist(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost")
SITE_NAME = "PersonFirst"
# Used in e-mails, where there is no request to build an absolute address from.
SITE_ROOT = os.environ.get("SITE_ROOT", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # The UI kit comes first: its templates (base page, GOV.UK form fields)
    # take precedence over Django's own.
    "personfirst.core.ui",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "rules.apps.AutodiscoverRulesConfig",
    "auditlog",
    "axes",
    "csp",
    # Two-factor sign-in (personfirst/core/accounts/two_factor.py).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # PersonFirst's own apps, one package per pillar on a shared core
    # (docs/architecture.md says what each holds and which way imports go).
    "personfirst.core.accounts",
    "personfirst.core.organisations",
    "personfirst.core.access",
    "personfirst.core.people",
    "personfirst.core.audit",
    "personfirst.core.pages",
    "personfirst.core.api",
    "personfirst.readiness.assessments",
    "personfirst.readiness.plans",
    "personfirst.readiness.progress",
    "personfirst.readiness.caseload",
    "personfirst.readiness.reports",
    "personfirst.sds.eligibility",
    "personfirst.sds.selfassessment",
    "personfirst.sds.allocation",
    "personfirst.sds.calibration",
    "personfirst.market.directory",
    "personfirst.market.search",
    "personfirst.insight.area",
    "personfirst.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "personfirst.core.accounts.sessions.IdleSessionMiddleware",
    # Every answer to a signed-in person: Cache-Control: no-store, private.
    "personfirst.core.accounts.caching.PrivateResponsesMiddleware",
    "django.middleware.common.CommonMiddleware",
    "personfirst.core.api.middleware.JsonErrorsForApiMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): has this session entered a two-factor code?
    "django_otp.middleware.OTPMiddleware",
    "personfirst.core.api.middleware.ApiTokenMiddleware",
    "personfirst.core.access.middleware.RolesForTheRequestMiddleware",
    # Someone who must use two-factor sign-in sees only the code pages until they have entered one.
    "personfirst.core.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # Axes must come last: it turns a lock-out into its own response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "personfirst.urls"
WSGI_APPLICATION = "personfirst.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "personfirst.core.ui.context_processors.navigation",
            ],
        },
    },
]
# Form fields render through our GOV.UK templates in personfirst/core/ui/templates/django/forms/.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'personfirst.sqlite3'}",
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers carry on while one writer writes; IMMEDIATE makes a
    # writer wait for the lock at the start of its transaction instead of
    # failing half way through it.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        # A 32 MB page cache per connection (SQLite's default is 2 MB): the directory's
        # search reads index pages of a large file.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000; PRAGMA cache_size=-32000;"
        ),
    }


def cache_from_url(url: str) -> dict:
    """Django's cache from CACHE_URL (docs/operations.md): empty for each
    process's own memory; ``db://TABLE`` for a table in the database (run
    ``manage.py createcachetable``), shared by every app server with no
    other service; ``redis://…`` or ``memcached://HOST:PORT`` for those
    servers (they need the ``redis`` or ``pymemcache`` package)."""
    common = {"KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "personfirst"), "TIMEOUT": 24 * 60 * 60}
    if not url or url.startswith("locmem://"):
        return {**common, "BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "personfirst"}
    if url.startswith("db://"):
        return {**common, "BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": url[5:] or "cache"}
    if url.startswith(("redis://", "rediss://")):
        return {**common, "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if url.startswith("memcached://"):
        return {**common, "BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache", "LOCATION": url[12:]}
    raise ValueError(f"CACHE_URL: {url!r} is not empty, db://TABLE, redis://… or memcached://HOST:PORT")


# Area insight keeps its rendered pages and charts here, for the snapshot they were made from
# (personfirst/insight/area/pages.py). With several app servers use a shared cache, so a page made
# by one is sent by the others.
CACHES = {"default": cache_from_url(os.environ.get("CACHE_URL", ""))}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "personfirst.core.accounts.backends.PasswordBackend",  # sign-in only: permissions come from access/rules.py
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "pages:dashboard"
LOGOUT_REDIRECT_URL = "pages:home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a day

# Sessions end after an hour without a request: accounts.sessions.IdleSessionMiddleware
# starts the hour again, writing the session at most once a minute for it.
SESSION_COOKIE_AGE = envint("SESSION_IDLE_SECONDS", 60 * 60)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Login throttling (django-axes): five failures lock that account, and
# separately that address, for 15 minutes.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
# Count the address as signing in reads it (trimmed, lower case), not as typed.
AXES_USERNAME_CALLABLE = "personfirst.core.accounts.throttling.axes_username"
# How many reverse proxies stand in front of the app (0 = none): see accounts/client_ip.py.
PROXY_COUNT = envint("PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "personfirst.core.accounts.client_ip.client_ip"
AXES_VERBOSE = False

# Two-factor sign-in (personfirst/core/accounts/two_factor.py): after this many
# wrong codes in a row, the person is signed out and no code is accepted for
# this many minutes. django-otp's own growing delays are off: this is the limit.
TWO_FACTOR_FAILURE_LIMIT = envint("TWO_FACTOR_FAILURE_LIMIT", 5)
TWO_FACTOR_COOLOFF_MINUTES = envint("TWO_FACTOR_COOLOFF_MINUTES", 15)
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
OTP_TOTP_ISSUER = "PersonFirst"

# Password reset (accounts/throttling.py): at most this many requests an hour
# for one address, and from one client; past that no e-mail is sent.
PASSWORD_RESET_PER_ADDRESS = envint("PASSWORD_RESET_PER_ADDRESS", 5)
PASSWORD_RESET_PER_CLIENT = envint("PASSWORD_RESET_PER_CLIENT", 20)

# Content-Security-Policy (django-csp): no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Audit trail (django-auditlog): see audit/registry.py for what is logged.
AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# The GOV.UK Frontend build (npm run build) writes here; never committed.
STATICFILES_DIRS = [BASE_DIR / "build" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# E-mail: printed to the console unless an SMTP host is set.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "PersonFirst <no-reply@personfirst.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = envint("EMAIL_PORT", 587)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

INVITATION_DAYS = 14

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
