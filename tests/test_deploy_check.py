"""Production settings pass Django's deployment checks, and refuse to start
without the settings that have no safe default.

Each check runs `manage.py` in a fresh process, as a deployment would, with
only the environment the production settings need.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def production_env(tmp_path, **overrides) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        # Nothing from the test run's own settings leaks in.
        if not key.startswith(("DJANGO_", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "SECURE_", "PERSONFIRST_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="personfirst.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="personfirst.example,www.personfirst.example",
        PERSONFIRST_VAR_DIR=str(tmp_path),
    )
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def deploy_check(env: dict[str, str]) -> subprocess.CompletedProcess:
    return run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)


def test_production_settings_pass_the_deployment_checks(tmp_path):
    result = deploy_check(production_env(tmp_path))
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output
    assert "WARNING" not in output.upper(), output


def test_the_deployment_check_does_fail_on_a_warning(tmp_path):
    """The test above could not pass by accident: turning off the HTTPS
    redirect (security.W008) fails the same command."""
    result = deploy_check(production_env(tmp_path, SECURE_SSL_REDIRECT="false"))
    assert result.returncode != 0
    assert "security.W008" in result.stdout + result.stderr


def settings_import(env: dict[str, str]) -> subprocess.CompletedProcess:
    return run(["-c", "import personfirst.settings.production"], env)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"SECRET_KEY": None}, "Set SECRET_KEY to a random string of at least 50 characters."),
        ({"SECRET_KEY": ""}, "Set SECRET_KEY to a random string of at least 50 characters."),
        ({"SECRET_KEY": "too-short"}, "Set SECRET_KEY to a random string of at least 50 characters."),
        ({"ALLOWED_HOSTS": None}, "Set ALLOWED_HOSTS to the site's host names, separated by commas."),
        ({"ALLOWED_HOSTS": " , "}, "Set ALLOWED_HOSTS to the site's host names, separated by commas."),
    ],
    ids=["no-secret-key", "empty-secret-key", "short-secret-key", "no-allowed-hosts", "blank-allowed-hosts"],
)
def test_production_settings_refuse_to_start_without(tmp_path, overrides, message):
    result = settings_import(production_env(tmp_path, **overrides))
    assert result.returncode != 0
    assert "django.core.exceptions.ImproperlyConfigured: " + message in result.stderr, result.stderr


def test_production_settings_start_with_both(tmp_path):
    result = settings_import(production_env(tmp_path))
    assert result.returncode == 0, result.stderr


def test_production_settings_are_not_debug(tmp_path):
    code = (
        "import personfirst.settings.production as s; "
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.ALLOWED_HOSTS)"
    )
    result = run(["-c", code], production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False True True True ['personfirst.example', 'www.personfirst.example']"
