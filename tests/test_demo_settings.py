"""`make run` (personfirst.settings.dev) serves the demo as people will see
it: the service's own 404 page, never Django's debug page with every
address on it, and the front-end build without a collectstatic step.

Each check runs in a fresh process with the demo's settings module, as
`make run` does, on a throwaway database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import json
from pathlib import Path

import django

django.setup()
from django.conf import settings
from django.core.management import call_command
from django.test import Client

call_command("migrate", verbosity=0)
client = Client(HTTP_HOST="127.0.0.1:8000")  # as `make run` serves it
missing = client.get("/no-such-page/")
css = next(Path("build/static/css").glob("*.css"), None)
static = client.get(f"/static/css/{css.name}") if css else None
print(json.dumps({
    "debug": settings.DEBUG,
    "missing_status": missing.status_code,
    "missing_body": missing.content.decode(),
    "static_status": static.status_code if static else None,
}))
"""


def run_probe(tmp_path, **env_overrides) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "DEBUG", "PERSONFIRST_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="personfirst.settings.dev",
        DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        PERSONFIRST_VAR_DIR=str(tmp_path),
        **env_overrides,
    )
    done = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_demo_shows_the_services_own_404_page_and_serves_the_build(tmp_path):
    result = run_probe(tmp_path)
    assert result["debug"] is False
    assert result["missing_status"] == 404
    assert "Page not found" in result["missing_body"]
    assert "URLconf" not in result["missing_body"]  # Django's debug page lists the URL patterns
    assert result["static_status"] == 200


def test_debug_is_there_for_a_developer_who_asks_for_it(tmp_path):
    assert run_probe(tmp_path, DEBUG="1")["debug"] is True
