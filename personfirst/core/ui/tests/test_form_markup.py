"""Form markup that assistive technology relies on: every label is for a
control that exists, and a group of radios or checkboxes is a fieldset with
a legend (its question), as GOV.UK Frontend expects."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.label_fors: list[str] = []
        self.stack: list[str] = []
        self.groups: list[tuple[str, bool, bool]] = []  # (class, inside a fieldset, fieldset has a legend)
        self.fieldsets: list[dict] = []

    def handle_starttag(self, tag, attrs) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "label" and attributes.get("for"):
            self.label_fors.append(attributes["for"])
        if tag == "fieldset":
            self.fieldsets.append({"legend": False})
        if tag == "legend" and self.fieldsets:
            self.fieldsets[-1]["legend"] = True
        classes = attributes.get("class", "").split()
        for group in ("govuk-radios", "govuk-checkboxes"):
            if group in classes:
                self.groups.append((group, bool(self.fieldsets), bool(self.fieldsets and self.fieldsets[-1]["legend"])))

    def handle_endtag(self, tag) -> None:
        if tag == "fieldset" and self.fieldsets:
            self.fieldsets.pop()


def parse(response) -> _FormParser:
    assert response.status_code == 200
    parser = _FormParser()
    parser.feed(response.content.decode())
    return parser


def assert_form_markup(response) -> None:
    page = parse(response)
    broken = [target for target in page.label_fors if target not in page.ids]
    assert not broken, f"labels for elements that do not exist: {broken}"
    for group, in_fieldset, has_legend in page.groups:
        assert in_fieldset, f"a {group} group is not in a fieldset"
        assert has_legend, f"a {group} group's fieldset has no legend"


def test_the_checker_finds_a_label_for_nothing():
    class Fake:
        status_code = 200
        content = b'<label for="id_role">Role</label><div class="govuk-radios"><input id="id_role_0"></div>'

    with pytest.raises(AssertionError, match="labels for elements that do not exist"):
        assert_form_markup(Fake)


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        (None, "/account/sign-in/"),
        (None, "/account/password/reset/"),
        ("member", "/account/"),
        ("member", "/account/password/"),
        ("member", "/account/tokens/"),
        ("admin", "/organisations/eastmere-carers-centre/edit/"),
        ("admin", "/organisations/eastmere-carers-centre/people/"),
    ],
)
def test_form_pages(world, client, persona, url):
    if persona:
        client.force_login(getattr(world, persona))
    assert_form_markup(client.get(url))


def test_sharing_form(world, client):
    client.force_login(world.admin)
    grant = world.org.grants_given.active().get()
    client.post(f"/organisations/{world.org.slug}/sharing/{grant.pk}/stop/")
    assert_form_markup(client.get(f"/organisations/{world.org.slug}/sharing/"))


def test_form_pages_with_errors(world, client):
    client.force_login(world.admin)
    assert_form_markup(client.post(f"/organisations/{world.org.slug}/people/", {"email": "x"}))
    assert_form_markup(client.post(f"/organisations/{world.org.slug}/edit/", {"name": ""}))
