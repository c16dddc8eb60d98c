"""Loading RAS versions: the command loads a council's files as drafts (or
published with --publish), prints FILE:LINE problems and loads nothing from
a bad file; a published version never changes, a draft may be replaced."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from personfirst.core.organisations.models import CouncilArea
from personfirst.sds.allocation import ras_file, services
from personfirst.sds.allocation.models import RasVersion

pytestmark = pytest.mark.django_db

SHIPPED = ras_file.SHIPPED / "eastmere-ras-1.yaml"


@pytest.fixture
def area():
    return CouncilArea.objects.create(code="E99000001", name="Eastmere")


def test_the_shipped_ras_loads_once_as_a_draft_for_the_council(area):
    out = io.StringIO()
    call_command("load_ras", "--council", "E99000001", stdout=out)
    call_command("load_ras", "--council", "e99000001", stdout=out)
    version = RasVersion.objects.get()
    assert version.council_area == area and version.is_draft
    assert "already loaded" in out.getvalue()
    assert services.current_ras(area) is None  # a draft is in force nowhere


def test_publish_puts_it_in_force_from_the_date_in_its_file(area):
    out = io.StringIO()
    call_command("load_ras", "--council", "E99000001", "--publish", stdout=out)
    assert "published, with 0 new indicative budgets" in out.getvalue()
    assert services.current_ras(area).ras().price_per_point == Decimal("9.50")
    other = CouncilArea.objects.create(code="E99000002", name="Westholm")
    assert services.current_ras(other) is None  # one council's RAS is not another's


def test_an_unknown_council_is_refused(area):
    with pytest.raises(CommandError, match="no council area with the code 'E00000000'"):
        call_command("load_ras", "--council", "E00000000")
    assert not RasVersion.objects.exists()


def test_a_bad_file_is_reported_by_line_and_nothing_is_loaded(tmp_path, area):
    bad = tmp_path / "bad.yaml"
    bad.write_text(SHIPPED.read_text().replace('price_per_point: "9.50"', 'price_per_point: "lots"'))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("load_ras", "--council", "E99000001", str(bad), stderr=err)
    assert f"{bad}:7: price_per_point should be an amount" in err.getvalue()
    assert not RasVersion.objects.exists()


def test_a_ras_that_does_not_price_the_questionnaire_is_refused(tmp_path, area):
    bad = tmp_path / "short.yaml"
    bad.write_text(SHIPPED.read_text().replace("      washing: {none: 0, some: 3, most: 7, all: 10}\n", ""))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("load_ras", "--council", "E99000001", str(bad), stderr=err)
    assert "The RAS gives no points for the question 'washing'." in err.getvalue()
    assert not RasVersion.objects.exists()


def test_a_draft_is_replaced_by_the_same_version_number(tmp_path, area):
    services.load_ras_file(SHIPPED, council_area=area)
    changed = tmp_path / "changed.yaml"
    changed.write_text(SHIPPED.read_text().replace('"9.50"', '"9.75"'))
    version, stored = services.load_ras_file(changed, council_area=area)
    assert stored and version.is_draft
    assert RasVersion.objects.get().ras().price_per_point == Decimal("9.75")


def test_a_published_version_never_changes(tmp_path, area):
    version, _ = services.load_ras_file(SHIPPED, council_area=area)
    services.publish(version, by=None, backdate=True)
    changed = tmp_path / "changed.yaml"
    changed.write_text(SHIPPED.read_text().replace('"9.50"', '"9.75"'))
    with pytest.raises(services.RasLoadError, match="already published with other content"):
        services.load_ras_file(changed, council_area=area)
    assert RasVersion.objects.get().ras().price_per_point == Decimal("9.50")
    # The same file again changes nothing.
    again, stored = services.load_ras_file(SHIPPED, council_area=area)
    assert again == version and not stored


def test_two_councils_may_each_have_the_same_version(area):
    other = CouncilArea.objects.create(code="E99000002", name="Westholm")
    services.load_ras_file(SHIPPED, council_area=area)
    services.load_ras_file(SHIPPED, council_area=other)
    assert RasVersion.objects.count() == 2
