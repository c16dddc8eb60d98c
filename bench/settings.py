"""Production settings, served over plain HTTP on 127.0.0.1 for the benchmarks.

The only differences from personfirst.settings.production: no HTTPS redirect,
no HSTS, cookies allowed without TLS (the bench client talks plain HTTP to
loopback, with no TLS proxy in front), and bench/urls.py as the URL conf (it
adds the bare view the section page is compared with).
Everything else (middleware, SQLite options, sessions, audit log, static
files through WhiteNoise's manifest storage) is production's.
"""

import os

from personfirst.settings.production import *  # noqa: F403

DEBUG = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
ROOT_URLCONF = "bench.urls"

# Comparisons only (--sqlite-conn-max-age): production keeps connections for
# DATABASE_CONN_MAX_AGE seconds (60 unless set); 0 closes them after every request.
if os.environ.get("BENCH_SQLITE_CONN_MAX_AGE"):
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ["BENCH_SQLITE_CONN_MAX_AGE"])  # noqa: F405
