"""The calibration pages: upload, the report, importing the good rows (all
or nothing), the fit and the equity report; council administrators of the
area only."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from personfirst.core.access.models import RoleGrant, RoleName
from personfirst.sds.calibration import services
from personfirst.sds.calibration.models import CalibrationImport, CalibrationPackage, CalibrationUpload

from .samples import good_csv, with_bad_rows

pytestmark = pytest.mark.django_db


def _upload(client, world, text: str, name: str = "packages.csv"):
    file = SimpleUploadedFile(name, text.encode(), content_type="text/csv")
    return client.post(reverse("calibration:upload", args=[world.area.code]), {"file": file})


def test_upload_report_and_import_the_good_rows(client, world):
    client.force_login(world.council_admin)
    response = _upload(client, world, with_bad_rows())
    checked = CalibrationUpload.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "calibration:report", args=[world.area.code, checked.pk]
    )
    page = client.get(response.url).content.decode()
    assert 'Good rows</dt><dd class="govuk-summary-list__value">60' in page
    assert "is not a whole number" in page
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">62</td>' in page
    assert "Import the 60 good rows" in page
    assert CalibrationImport.objects.count() == 0  # nothing imported before the person agrees
    done = client.post(response.url, {"action": "import", "good_rows": "60"})
    made = CalibrationImport.objects.get()
    assert done.url == reverse("calibration:fit", args=[world.area.code, made.pk])
    assert (made.row_count, made.bad_rows_left_out, made.file_name, made.imported_by) == (
        60,
        2,
        "packages.csv",
        world.council_admin,
    )
    assert made.council_area == world.area and made.packages.count() == 60
    assert not CalibrationUpload.objects.exists()


def test_importing_another_count_than_the_report_gave_is_refused(client, world):
    client.force_login(world.council_admin)
    url = _upload(client, world, with_bad_rows()).url
    response = client.post(url, {"action": "import", "good_rows": "62"})
    assert response.status_code == 422
    assert "This file has 60 good rows, not 62: check the report again." in response.content.decode()
    assert not CalibrationImport.objects.exists() and not CalibrationPackage.objects.exists()


def test_a_file_with_a_bad_header_cannot_be_imported(client, world):
    client.force_login(world.council_admin)
    url = _upload(client, world, "points,weekly_cost\n1,2\n").url
    page = client.get(url).content.decode()
    assert 'id="refused"' in page and "Import the" not in page
    assert "carer_present" in page
    response = client.post(url, {"action": "import", "good_rows": "1"})
    assert response.status_code == 422 and not CalibrationImport.objects.exists()


def test_an_empty_or_missing_file_gets_the_services_own_message(client, world):
    client.force_login(world.council_admin)
    response = client.post(reverse("calibration:upload", args=[world.area.code]), {})
    assert "Select a calibration file" in response.content.decode()
    empty = _upload(client, world, "")
    assert "The file you selected is empty" in empty.content.decode()


def test_an_import_is_all_or_nothing(client, world, monkeypatch):
    """A failure while writing the packages leaves nothing: no import, no packages, and the checked file kept."""
    client.force_login(world.council_admin)
    url = _upload(client, world, good_csv(1_200)).url
    real = services.insert_batch
    calls = []

    def fail_on_second_batch(cursor, sql, params):
        calls.append(len(params) // 8)
        if len(calls) == 2:
            raise RuntimeError("the database went away")
        real(cursor, sql, params)

    monkeypatch.setattr(services, "insert_batch", fail_on_second_batch)
    with pytest.raises(RuntimeError):
        client.post(url, {"action": "import", "good_rows": "1200"})
    # The first batch was written, then rolled back with the rest.
    assert calls == [services.ROWS_PER_INSERT, services.ROWS_PER_INSERT]
    assert not CalibrationImport.objects.exists() and not CalibrationPackage.objects.exists()
    assert CalibrationUpload.objects.exists()


def test_importing_twice_imports_once(client, world):
    client.force_login(world.council_admin)
    url = _upload(client, world, good_csv()).url
    client.post(url, {"action": "import", "good_rows": "60"})
    again = client.post(url, {"action": "import", "good_rows": "60"})
    assert again.status_code == 404  # the checked file is gone
    assert CalibrationImport.objects.count() == 1


def test_giving_up_a_file_forgets_it(client, world):
    client.force_login(world.council_admin)
    url = _upload(client, world, good_csv()).url
    response = client.post(url, {"action": "give-up"})
    assert response.url == reverse("calibration:imports", args=[world.area.code])
    assert not CalibrationUpload.objects.exists() and not CalibrationImport.objects.exists()


def _import(world, text=None) -> CalibrationImport:
    checked, result = services.check_upload(world.council_admin, world.area, "p.csv", text or good_csv(200))
    return services.confirm(world.council_admin, checked, len(result.rows))


def test_the_fit_page_shows_each_fit_in_money_and_the_chart(client, world):
    made = _import(world)
    client.force_login(world.council_admin)
    page = client.get(reverse("calibration:fit", args=[world.area.code, made.pk])).content.decode()
    assert 'id="fits"' in page and 'id="bands"' in page and "pf-table-region" in page
    price = re.search(r"<td class=\"govuk-table__cell govuk-table__cell--numeric\">£(\d+\.\d\d)</td>", page)
    assert price is not None
    chart = client.get(reverse("calibration:fit-chart", args=[world.area.code, made.pk]))
    assert chart["Content-Type"] == "image/svg+xml" and b"<script" not in chart.content
    assert chart["Content-Security-Policy"].startswith("default-src 'none'")


def test_the_fit_page_takes_band_starts_and_says_what_is_wrong_with_them(client, world):
    made = _import(world)
    client.force_login(world.council_admin)
    url = reverse("calibration:fit", args=[world.area.code, made.pk])
    page = client.get(url, {"bands": "0, 20, 40"}).content.decode()
    assert "20 to 39" in page and "40 or more" in page
    bad = client.get(url, {"bands": "ten"}).content.decode()
    assert "There is a problem" in bad and "Enter the band starts as whole numbers" in bad


def test_the_equity_page_shows_every_group(client, world):
    made = _import(world)
    client.force_login(world.council_admin)
    page = client.get(reverse("calibration:equity", args=[world.area.code, made.pk])).content.decode()
    for title in ("Age band", "Client group", "Carer", "Support with memory and cognition", "Aged 85 or over"):
        assert title in page
    assert "95% interval" in page


def test_too_few_packages_say_so_on_the_fit_and_equity_pages(client, world):
    made = _import(world, good_csv(4))
    client.force_login(world.council_admin)
    fit = client.get(reverse("calibration:fit", args=[world.area.code, made.pk])).content.decode()
    assert "At least 5 packages are needed to fit anything." in fit
    equity = client.get(reverse("calibration:equity", args=[world.area.code, made.pk])).content.decode()
    assert "At least 5 packages are needed for the equity report." in equity


@pytest.mark.parametrize("persona", ["practitioner", "commissioner", "platform", "team_manager", "outsider"])
def test_only_the_areas_council_administrators_may_calibrate(client, world, persona):
    made = _import(world)
    client.force_login(getattr(world, persona))
    for url in (
        reverse("calibration:imports", args=[world.area.code]),
        reverse("calibration:upload", args=[world.area.code]),
        reverse("calibration:fit", args=[world.area.code, made.pk]),
        reverse("calibration:equity", args=[world.area.code, made.pk]),
    ):
        assert client.get(url).status_code == 404


def test_a_council_administrator_of_another_area_sees_none_of_this_one(client, world):
    made = _import(world)
    RoleGrant.objects.create(user=world.outsider, council_area=world.other_area, role=RoleName.COUNCIL_ADMIN)
    client.force_login(world.outsider)
    assert client.get(reverse("calibration:imports", args=[world.other_area.code])).status_code == 200
    # This area's import, through the other area's address or its own.
    assert client.get(reverse("calibration:fit", args=[world.other_area.code, made.pk])).status_code == 404
    assert client.get(reverse("calibration:fit", args=[world.area.code, made.pk])).status_code == 404


def test_another_administrators_checked_file_is_not_theirs_to_import(client, world):
    other = world.council_admin.__class__.objects.create_user("admin2@eastmere.example", "x-long-password-1")
    RoleGrant.objects.create(user=other, council_area=world.area, role=RoleName.COUNCIL_ADMIN)
    checked, _result = services.check_upload(other, world.area, "p.csv", good_csv())
    client.force_login(world.council_admin)
    url = reverse("calibration:report", args=[world.area.code, checked.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "import", "good_rows": "60"}).status_code == 404


def test_packages_are_stored_as_read(world):
    text = (
        "points_personal-care,points_eating,weekly_cost,age_band,client_group,carer_present\n"
        "6,4,95.5,85+,memory-cognition,yes\n"
        "0,0,0,18-24,social,no\n"
    )
    checked, result = services.check_upload(world.council_admin, world.area, "d.csv", text)
    made = services.confirm(world.council_admin, checked, 2)
    first, second = made.packages.order_by("line")
    assert (first.line, first.points, first.domain_points, first.weekly_cost) == (
        2,
        10,
        {"personal-care": 6, "eating": 4},
        Decimal("95.50"),
    )
    assert (first.age_band, first.client_group, first.carer_present) == ("85+", "memory-cognition", True)
    assert (second.points, second.domain_points, second.weekly_cost, second.carer_present) == (
        0,
        {"personal-care": 0, "eating": 0},
        Decimal("0.00"),
        False,
    )


def test_the_council_administrators_home_page_links_to_calibration(client, world):
    client.force_login(world.council_admin)
    page = client.get(reverse("pages:dashboard")).content.decode()
    assert reverse("calibration:imports", args=[world.area.code]) in page
    client.force_login(world.practitioner)
    assert "calibration-panel" not in client.get(reverse("pages:dashboard")).content.decode()


def test_the_equity_page_hides_a_small_group_and_one_more(client, world):
    lines = ["points,weekly_cost,age_band,client_group,carer_present"]
    groups = ["physical"] * 40 + ["sensory"] * 3 + ["social"] * 12 + ["mental-health"] * 25
    for i, group in enumerate(groups):
        lines.append(f"{i % 50},{9.5 * (i % 50) + i % 3:.2f},25-64,{group},{'yes' if i % 2 else 'no'}")
    made = _import(world, "\n".join(lines))
    client.force_login(world.council_admin)
    page = client.get(reverse("calibration:equity", args=[world.area.code, made.pk])).content.decode()
    table = page.split('id="category-client_group"')[1].split("</table>")[0]
    rows = {title: table.split(title)[1].split("</tr>")[0] for title in ("Sensory support", "Social support")}
    assert all("Hidden" in row for row in rows.values())  # 3, and 12: the smallest shown, hidden with it
    assert ">3<" not in rows["Sensory support"] and ">12<" not in rows["Social support"]
    assert ">40<" in table.split("Physical support")[1].split("</tr>")[0]
