"""The area page: the organisations in the area's published area insight
figures, by group, for a commissioner: never a small number, and nothing
that area insight's own counts could undo."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

import pytest
from django.utils import timezone

from personfirst.core.organisations.choices import OrganisationType
from personfirst.core.organisations.models import Organisation
from personfirst.insight.area.models import Submission

LABELS = dict(OrganisationType.choices)


def table(response) -> dict[str, str]:
    """{row label: cell text} from the area page's table."""
    html = response.content.decode()
    rows = re.findall(r'<th scope="row" class="govuk-table__header">(.*?)</th>\s*<td[^>]*>(.*?)</td>', html, re.S)
    return {label.strip(): re.sub(r"<[^>]+>", "", cell).strip() for label, cell in rows}


def test_no_organisation_names_on_the_area_page(world, client):
    client.force_login(world.commissioner)
    page = client.get(f"/areas/{world.area.code}/").content.decode()
    main = page.split("<main", 1)[1]
    for organisation in Organisation.objects.filter(council_area=world.area):
        assert organisation.name not in main
        assert organisation.name.replace("'", "&#x27;") not in main
        assert organisation.slug not in main


@pytest.fixture
def published(world):
    """Eastmere with 60 more organisations (3 health checks each) and its figures published."""
    from personfirst.insight.area import publish, quarters
    from personfirst.readiness.assessments.tests.conftest import load_shipped

    from .factory import submitted

    health_check = load_shipped()["health-check"]
    submitted(organisations=60, assessments_per_organisation=3, area_code=world.area.code, seed=4)
    return publish.publish(health_check, quarters.quarter_of(timezone.now()))


def test_before_anything_is_published_the_page_says_so(world, client):
    client.force_login(world.commissioner)
    html = client.get(f"/areas/{world.area.code}/").content.decode()
    assert 'id="no-figures"' in html


def test_the_counts_are_the_area_insight_groups(world, client, published):
    """The same groups and counts as /insight/areas/<code>/, and the total is its population."""
    from personfirst.insight.area import report, sources

    client.force_login(world.commissioner)
    cells = table(client.get(f"/areas/{world.area.code}/"))
    built = report.build(sources.for_area(world.area), published.instrument)
    counted = report.counted(published, sources.for_area(world.area))
    expected: dict[str, int] = {}
    for group in built.view.groups:
        label = report.describe_group(group.cells)
        expected[label] = expected.get(label, 0) + counted.add_up("organisations", [group.index], None)[0]
    assert {label: int(value) for label, value in cells.items() if label != "All types"} == expected
    assert int(cells["All types"]) == built.population
    assert all(count >= 5 for count in expected.values())


def test_no_type_can_be_worked_out_from_this_page_and_area_insight_together(world, client, published):
    """Every count either page shows for the area is a sum over whole groups: no type and size band
    with 1 to 4 organisations, nor any few of them, is what some counts add up to."""
    from personfirst.core.access.disclosure import small_sets
    from personfirst.insight.area import report, sources

    client.force_login(world.commissioner)
    cells = table(client.get(f"/areas/{world.area.code}/"))
    scope = sources.for_area(world.area)
    view = report.build(scope, published.instrument).view
    by_label = defaultdict(set)
    for group in view.groups:
        by_label[report.describe_group(group.cells)] |= group.cells
    figures = [by_label[label] for label in cells if label != "All types" and cells[label] != "Hidden"]
    every = {c for g in view.groups for c in g.cells}
    types = sorted({c[0] for c in every})
    sizes = sorted({c[1] for c in every})
    for chosen_types in [None, *((t,) for t in types)]:
        for chosen_sizes in [None, *((s,) for s in sizes)]:
            filters = report.Filters(types=chosen_types, sizes=chosen_sizes)
            if report.build(scope, published.instrument, filters).shown:
                figures.append({c for c in every if report.chooser(chosen_types, chosen_sizes)(c)})
    latest = Counter(
        Submission.objects.filter(council_area=world.area, superseded_quarter__isnull=True).values_list(
            "org_type", "size_band", "sharing"
        )
    )
    assert small_sets(latest, figures) == []
    assert any(0 < n < 5 for n in latest.values())  # there were small ones to protect


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
