"""The area page: aggregate figures for a commissioner, never a small number."""

from __future__ import annotations

import re

import pytest

from personfirst.core.access.models import RoleGrant, RoleName
from personfirst.core.organisations.choices import OrganisationType
from personfirst.core.organisations.models import CouncilArea, Organisation

LABELS = dict(OrganisationType.choices)


def table(response) -> dict[str, str]:
    """{row label: cell text} from the area page's table."""
    html = response.content.decode()
    rows = re.findall(r'<th scope="row" class="govuk-table__header">(.*?)</th>\s*<td[^>]*>(.*?)</td>', html, re.S)
    return {label.strip(): re.sub(r"<[^>]+>", "", cell).strip() for label, cell in rows}


@pytest.fixture
def northby(world):
    """A council area whose figures we choose, with the commissioner as one of its commissioners."""
    area = CouncilArea.objects.create(code="E99000003", name="Northby")
    council = Organisation.objects.create(
        name="Northby Council", slug="northby-council", org_type="council", council_area=area
    )
    RoleGrant.objects.create(user=world.commissioner, organisation=council, role=RoleName.ORGANISATION_MEMBER)
    RoleGrant.objects.create(user=world.commissioner, council_area=area, role=RoleName.COMMISSIONER)

    def add(org_type: str, how_many: int) -> None:
        for n in range(how_many):
            Organisation.objects.create(
                name=f"Northby {org_type} {n}",
                slug=f"northby-{org_type}-{n}".replace("_", "-"),
                org_type=org_type,
                council_area=area,
            )

    return area, add


def assert_nothing_can_be_worked_out(cells: dict[str, str], true_counts: dict[str, int]) -> None:
    """Shown figures are true, small ones are hidden, and no hidden figure
    follows from the others and the total (each hidden cell is at least 1)."""
    hidden = [label for label in cells if label != "All types" and cells[label] == "Hidden"]
    for label, value in cells.items():
        true = sum(true_counts.values()) if label == "All types" else true_counts.get(label, 0)
        if value != "Hidden":
            assert int(value) == true, f"{label} shows {value}, but there are {true}"
        elif label != "All types":
            assert true > 0, f"{label} hides a zero"
        if 0 < true < 5:
            assert value == "Hidden", f"{label} shows a count of {true}"
    if cells["All types"] != "Hidden" and hidden:
        hidden_sum = int(cells["All types"]) - sum(
            int(cells[label]) for label in cells if label not in hidden and label != "All types"
        )
        # One hidden cell equals the difference; k hidden cells adding up to k are all 1.
        assert len(hidden) > 1, f"{hidden[0]} = {hidden_sum} can be worked out from the total"
        assert hidden_sum > len(hidden), f"the hidden cells {hidden} add up to {hidden_sum}: each is 1"


def counts_by_label(area) -> dict[str, int]:
    result: dict[str, int] = {}
    for organisation in Organisation.objects.filter(council_area=area).exclude(org_type="council"):
        label = LABELS[organisation.org_type]
        result[label] = result.get(label, 0) + 1
    return result


def test_commissioner_sees_counts_by_type_for_their_area(world, client):
    client.force_login(world.commissioner)
    response = client.get(f"/areas/{world.area.code}/")
    assert response.status_code == 200
    cells = table(response)
    # Every type but "council" has a row, and there is a total; the council is not counted.
    assert set(cells) == {label for code, label in LABELS.items() if code != "council"} | {"All types"}
    # In the demo area every type has fewer than five organisations.
    assert all(cells[LABELS[code]] == "Hidden" for code in LABELS if code != "council")
    assert cells["All types"] in ("Hidden", "11")
    assert_nothing_can_be_worked_out(cells, counts_by_label(world.area))


def test_no_organisation_names_on_the_area_page(world, client):
    client.force_login(world.commissioner)
    page = client.get(f"/areas/{world.area.code}/").content.decode()
    main = page.split("<main", 1)[1]
    for organisation in Organisation.objects.filter(council_area=world.area):
        assert organisation.name not in main
        assert organisation.name.replace("'", "&#x27;") not in main
        assert organisation.slug not in main


def test_counts_of_five_or_more_are_shown_with_their_total(northby, client, world):
    area, add = northby
    add("voluntary", 5)
    add("user_led", 9)
    client.force_login(world.commissioner)
    cells = table(client.get(f"/areas/{area.code}/"))
    assert cells[LABELS["voluntary"]] == "5"
    assert cells[LABELS["user_led"]] == "9"
    assert cells[LABELS["housing"]] == "0"  # none is not disclosive
    assert cells["All types"] == "14"


def test_a_small_count_is_hidden_and_one_more_so_it_cannot_be_worked_out(northby, client, world):
    area, add = northby
    add("voluntary", 7)
    add("home_care", 6)
    add("residential", 2)
    client.force_login(world.commissioner)
    cells = table(client.get(f"/areas/{area.code}/"))
    assert cells[LABELS["residential"]] == "Hidden"  # 2: fewer than five
    assert cells[LABELS["home_care"]] == "Hidden"  # 6, but otherwise 15 - 7 - 6 = 2 would give it away
    assert cells[LABELS["voluntary"]] == "7"
    assert cells["All types"] == "15"
    assert_nothing_can_be_worked_out(cells, counts_by_label(area))


@pytest.mark.parametrize(
    "counts",
    [
        {"voluntary": 7, "home_care": 1, "residential": 1},  # two hidden 1s would add up to 2
        {"voluntary": 7, "home_care": 3, "residential": 2},
        {"voluntary": 1, "home_care": 1, "residential": 1, "housing": 1, "user_led": 1},  # a total of 5 over five cells
        {"voluntary": 8, "home_care": 5, "housing": 1, "micro_enterprise": 20},
        {"voluntary": 5, "home_care": 5, "housing": 2},  # ties: hiding one 5 of two would say which
        {"voluntary": 4, "home_care": 4, "housing": 4, "user_led": 4},
        {"voluntary": 3},
    ],
)
def test_no_hidden_figure_can_be_worked_out(northby, client, world, counts):
    area, add = northby
    for org_type, how_many in counts.items():
        add(org_type, how_many)
    client.force_login(world.commissioner)
    assert_nothing_can_be_worked_out(table(client.get(f"/areas/{area.code}/")), counts_by_label(area))


def test_a_small_total_is_hidden(northby, client, world):
    area, add = northby
    add("voluntary", 3)
    client.force_login(world.commissioner)
    cells = table(client.get(f"/areas/{area.code}/"))
    assert cells[LABELS["voluntary"]] == "Hidden"
    assert cells["All types"] == "Hidden"


def test_the_checker_catches_a_figure_that_can_be_worked_out():
    labels = [LABELS["voluntary"], LABELS["home_care"], LABELS["residential"]]
    true = dict(zip(labels, [7, 1, 1], strict=True))
    with pytest.raises(AssertionError, match="each is 1"):
        assert_nothing_can_be_worked_out(
            {labels[0]: "7", labels[1]: "Hidden", labels[2]: "Hidden", "All types": "9"}, true
        )
    with pytest.raises(AssertionError, match="can be worked out"):
        assert_nothing_can_be_worked_out(
            {labels[0]: "Hidden", labels[1]: "6", labels[2]: "6", "All types": "19"},
            dict(zip(labels, [7, 6, 6], strict=True)),
        )
    with pytest.raises(AssertionError, match="shows a count of 1"):
        assert_nothing_can_be_worked_out(
            {labels[0]: "7", labels[1]: "1", labels[2]: "Hidden", "All types": "Hidden"}, true
        )


@pytest.mark.parametrize("persona", ["admin", "member", "worker", "outsider"])
def test_only_commissioners_see_the_area(world, client, persona):
    client.force_login(getattr(world, persona))
    assert client.get(f"/areas/{world.area.code}/").status_code == 404


def test_a_commissioner_does_not_see_another_area(world, client):
    client.force_login(world.commissioner)
    assert client.get(f"/areas/{world.other_area.code}/").status_code == 404


def test_platform_administrator_sees_any_area(world, client):
    client.force_login(world.platform)
    assert client.get(f"/areas/{world.other_area.code}/").status_code == 200


def test_unknown_area_is_not_found(world, client):
    client.force_login(world.commissioner)
    assert client.get("/areas/E00000000/").status_code == 404


def test_area_needs_signing_in(world, client):
    assert client.get(f"/areas/{world.area.code}/")["Location"].startswith("/account/sign-in/")


def test_commissioner_menu_links_to_their_area(world, client):
    client.force_login(world.commissioner)
    page = client.get("/dashboard/").content.decode()
    assert f'href="/areas/{world.area.code}/"' in page
