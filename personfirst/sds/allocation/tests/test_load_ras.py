"""Loading RAS versions: the command prints FILE:LINE problems and loads
nothing from a bad file; a loaded version never changes."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from personfirst.sds.allocation import ras_file, services
from personfirst.sds.allocation.models import RasVersion

pytestmark = pytest.mark.django_db

SHIPPED = ras_file.SHIPPED / "eastmere-ras-1.yaml"


def test_the_shipped_ras_loads_once(tmp_path):
    out = io.StringIO()
    call_command("load_ras", stdout=out)
    call_command("load_ras", stdout=out)
    assert RasVersion.objects.count() == 1
    assert "already loaded" in out.getvalue()
    assert services.current_ras().ras().price_per_point is not None


def test_a_bad_file_is_reported_by_line_and_nothing_is_loaded(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(SHIPPED.read_text().replace('price_per_point: "9.50"', 'price_per_point: "lots"'))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("load_ras", str(bad), stderr=err)
    assert f"{bad}:7: price_per_point should be an amount" in err.getvalue()
    assert not RasVersion.objects.exists()


def test_a_ras_that_does_not_price_the_questionnaire_is_refused(tmp_path):
    bad = tmp_path / "short.yaml"
    bad.write_text(SHIPPED.read_text().replace("      washing: {none: 0, some: 3, most: 7, all: 10}\n", ""))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("load_ras", str(bad), stderr=err)
    assert "The RAS gives no points for the question 'washing'." in err.getvalue()
    assert not RasVersion.objects.exists()


def test_a_loaded_version_never_changes(tmp_path):
    services.load_ras_file(SHIPPED)
    changed = tmp_path / "changed.yaml"
    changed.write_text(SHIPPED.read_text().replace('"9.50"', '"9.75"'))
    with pytest.raises(services.RasLoadError, match="already loaded with other content"):
        services.load_ras_file(changed)
    assert RasVersion.objects.get().ras().price_per_point == Decimal("9.50")
