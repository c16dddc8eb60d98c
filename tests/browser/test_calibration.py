"""RAS calibration in the browser (issue 12): Eastmere's council
administrator uploads a file with a bad row, reads the report, imports the
good rows, and reads the fit (with its chart) and the equity report. axe-core
checks every page; the pages reflow at 320 pixels wide."""

from __future__ import annotations

import pytest

from personfirst.sds.calibration.models import CalibrationImport
from personfirst.sds.calibration.tests.samples import with_bad_rows

from .conftest import sign_in

pytestmark = pytest.mark.browser


def reflows(page, path: str) -> None:
    page.visit(path)
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 320px wide"


def test_council_administrator_imports_and_reads_the_fit_and_equity(world, page, tmp_path):
    file = tmp_path / "eastmere-packages.csv"
    file.write_text(with_bad_rows(120))
    sign_in(page, world.council_admin.email, world.password)
    page.follow(page.get_by_role("link", name=f"RAS calibration for {world.area.name}"))
    page.follow(page.get_by_role("link", name="Upload a calibration file"))
    page.locator("input[type=file]").set_input_files(str(file))
    page.submit(page.get_by_role("button", name="Check the file"))
    main = page.locator("main").inner_text()
    assert "is not a whole number" in main and "Rows with problems" in main
    report_path = page.path
    page.submit(page.get_by_role("button", name="Import the 120 good rows"))
    made = CalibrationImport.objects.get()
    assert page.path == f"/councils/{world.area.code}/calibration/{made.pk}/fit/"
    assert "120 packages from eastmere-packages.csv were imported." in page.locator("body").inner_text()
    assert page.locator("img.pf-chart").evaluate("img => img.complete && img.naturalWidth > 0")
    page.follow(page.get_by_role("link", name="See the equity report"))
    assert "Client group" in page.locator("main").inner_text()

    page.set_viewport_size({"width": 320, "height": 640})
    for path in (
        f"/councils/{world.area.code}/calibration/",
        f"/councils/{world.area.code}/calibration/upload/",
        f"/councils/{world.area.code}/calibration/{made.pk}/fit/",
        f"/councils/{world.area.code}/calibration/{made.pk}/equity/",
    ):
        reflows(page, path)
    assert report_path.startswith(f"/councils/{world.area.code}/calibration/uploads/")
