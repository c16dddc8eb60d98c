"""Every link in a GOV.UK error summary must lead to a field on the page.

axe-core does not notice an error-summary link whose target is missing, and
a radio group has no id of its own (its summary link must point at the first
radio, ``id_<name>_0``). ``assert_error_summary_links_resolve`` checks a
response; the other apps' tests import it from here.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

FOCUSABLE_TAGS = {"input", "select", "textarea"}


class _ErrorSummaryParser(HTMLParser):
    """Collects every element id on the page and the in-page links of each
    ``.govuk-error-summary``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: dict[str, list[tuple[str, dict]]] = {}
        self.summaries = 0
        self.summary_links: list[str] = []
        self.summary_texts: list[str] = []
        self._summary_div_depth = 0  # > 0 while inside an error summary
        self._in_summary_link = False
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs) -> None:
        attributes = {name: (value or "") for name, value in attrs}
        if "id" in attributes:
            self.ids.setdefault(attributes["id"], []).append((tag, attributes))
        if tag == "title":
            self._in_title = True
        if tag == "div":
            if self._summary_div_depth:
                self._summary_div_depth += 1
            elif "govuk-error-summary" in attributes.get("class", "").split():
                self.summaries += 1
                self._summary_div_depth = 1
        if tag == "a" and self._summary_div_depth:
            href = attributes.get("href", "")
            if href.startswith("#"):
                self.summary_links.append(href)
                self.summary_texts.append("")
                self._in_summary_link = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "div" and self._summary_div_depth:
            self._summary_div_depth -= 1
        if tag == "a":
            self._in_summary_link = False
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_summary_link:
            self.summary_texts[-1] += data
        if self._in_title:
            self.title += data


def parse_error_summary(html: str) -> _ErrorSummaryParser:
    parser = _ErrorSummaryParser()
    parser.feed(html)
    parser.close()
    return parser


def assert_error_summary_links_resolve(response_or_html, *, expected: dict[str, str] | None = None) -> dict[str, str]:
    """Assert the page has an error summary whose every ``#id`` link targets a
    form control that exists exactly once on the page.

    ``expected`` maps an anchor (``"#id_role_0"``) to words its link text must
    contain. Returns {anchor: link text}.
    """
    html = response_or_html if isinstance(response_or_html, str) else response_or_html.content.decode()
    page = parse_error_summary(html)
    assert page.summaries == 1, f"expected one .govuk-error-summary, found {page.summaries}"
    assert page.summary_links, "the error summary has no links to the fields in error"
    for href in page.summary_links:
        target = href[1:]
        assert target, "an error summary link points at '#'"
        elements = page.ids.get(target, [])
        assert elements, f"error summary link {href} points at no element on the page"
        assert len(elements) == 1, f"error summary link {href} points at {len(elements)} elements with that id"
        tag, attributes = elements[0]
        assert tag in FOCUSABLE_TAGS, f"error summary link {href} points at a <{tag}>, not a form control"
        assert attributes.get("type") != "hidden", f"error summary link {href} points at a hidden input"
    assert page.title.strip().startswith("Error:"), f"the page title should start 'Error:' ({page.title.strip()!r})"
    links: dict[str, str] = {}
    for href, text in zip(page.summary_links, page.summary_texts, strict=True):
        text = " ".join(text.split())
        links[href] = f"{links[href]} | {text}" if href in links else text
    for anchor, words in (expected or {}).items():
        assert anchor in links, f"no error summary link to {anchor}; links are {links}"
        assert words.lower() in links[anchor].lower(), f"{anchor} says {links[anchor]!r}, not {words!r}"
    return links


def assert_no_error_summary(response) -> None:
    page = parse_error_summary(response.content.decode())
    assert page.summaries == 0, "the page shows an error summary"


# --- the helper itself must be able to fail -------------------------------

PAGE = """<!DOCTYPE html><html><head><title>{title} – PersonFirst</title></head><body>
<div class="govuk-error-summary" data-module="govuk-error-summary"><div role="alert">
<h2 class="govuk-error-summary__title">There is a problem</h2>
<div class="govuk-error-summary__body"><ul class="govuk-list govuk-error-summary__list">
<li><a href="{href}">Select an option</a></li></ul></div></div></div>
<form><div class="govuk-radios"><input type="radio" name="role" id="id_role_0"><br>
<input type="radio" name="role" id="id_role_1"></div>
<a href="#elsewhere">Not in the summary</a><p id="id_paragraph">text</p></form></body></html>"""


def test_helper_accepts_a_link_to_an_existing_control():
    links = assert_error_summary_links_resolve(PAGE.format(title="Error: Invite", href="#id_role_0"))
    assert links == {"#id_role_0": "Select an option"}


@pytest.mark.parametrize(
    ("href", "title", "complaint"),
    [
        ("#id_role", "Error: Invite", "points at no element"),  # the radio group has no id of its own
        ("#id_paragraph", "Error: Invite", "not a form control"),
        ("#", "Error: Invite", "points at '#'"),
        ("#id_role_0", "Invite", "should start 'Error:'"),
    ],
)
def test_helper_rejects_a_broken_summary(href, title, complaint):
    with pytest.raises(AssertionError, match=re.escape(complaint)):
        assert_error_summary_links_resolve(PAGE.format(title=title, href=href))


def test_helper_rejects_a_page_without_a_summary():
    with pytest.raises(AssertionError, match="expected one .govuk-error-summary"):
        assert_error_summary_links_resolve("<html><title>Error: x</title><input id='a'></html>")


def test_helper_rejects_a_duplicated_target():
    page = PAGE.format(title="Error: Invite", href="#id_role_0").replace('id="id_role_1"', 'id="id_role_0"')
    with pytest.raises(AssertionError, match="2 elements"):
        assert_error_summary_links_resolve(page)


def test_helper_checks_the_link_text():
    with pytest.raises(AssertionError, match="not 'Enter a name'"):
        assert_error_summary_links_resolve(
            PAGE.format(title="Error: Invite", href="#id_role_0"), expected={"#id_role_0": "Enter a name"}
        )


# --- the real forms ------------------------------------------------------


def test_sign_in_with_a_wrong_password(world, client):
    response = client.post("/account/sign-in/", {"username": world.admin.email, "password": "not-the-password"})
    assert response.status_code == 200
    assert_error_summary_links_resolve(response, expected={"#id_password": "e-mail address or password is not right"})


def test_sign_in_with_nothing_entered(db, client):
    response = client.post("/account/sign-in/", {"username": "", "password": ""})
    assert response.status_code == 200
    links = assert_error_summary_links_resolve(
        response, expected={"#id_username": "Enter your e-mail address", "#id_password": "Enter your password"}
    )
    assert set(links) == {"#id_username", "#id_password"}


def test_sign_in_with_a_badly_formed_address(db, client):
    response = client.post("/account/sign-in/", {"username": "not an address", "password": "whatever-it-is"})
    assert_error_summary_links_resolve(response, expected={"#id_username": "e-mail address in the right form"})


def test_invitation_with_a_bad_address_and_no_role(world, client):
    client.force_login(world.admin)
    response = client.post(f"/organisations/{world.org.slug}/people/", {"email": "not-an-address"})
    assert response.status_code == 200
    links = assert_error_summary_links_resolve(
        response,
        expected={
            "#id_email": "Enter an e-mail address in the right format",
            "#id_role_0": "Select what they should be able to do",
        },
    )
    assert "#id_role" not in links


def test_invitation_with_nothing_entered(world, client):
    client.force_login(world.admin)
    response = client.post(f"/organisations/{world.org.slug}/people/", {"email": "", "role": ""})
    assert_error_summary_links_resolve(
        response,
        expected={"#id_email": "Enter the e-mail address", "#id_role_0": "Select what they should be able to do"},
    )


def test_organisation_edit_with_blank_name_no_type_and_negative_staff(world, client):
    client.force_login(world.admin)
    response = client.post(
        f"/organisations/{world.org.slug}/edit/",
        {"name": "", "paid_staff": "-3", "volunteers": "2", "description": ""},
    )
    assert response.status_code == 200
    assert_error_summary_links_resolve(
        response,
        expected={
            "#id_name": "Enter the organisation's name",
            "#id_org_type_0": "Select the type of organisation",
            "#id_paid_staff": "0",
        },
    )
    world.org.refresh_from_db()
    assert world.org.name == "Eastmere Carers' Centre"


def test_organisation_edit_with_an_unknown_service(world, client):
    client.force_login(world.admin)
    response = client.post(
        f"/organisations/{world.org.slug}/edit/",
        {"name": "X", "org_type": "voluntary", "paid_staff": "1", "volunteers": "2", "services": ["teleporting"]},
    )
    assert_error_summary_links_resolve(response, expected={"#id_services_0": "Select one of the options"})


def test_sign_up_from_an_invitation_with_a_weak_password(world, client):
    from personfirst.core.organisations import services

    invitation = services.invite(
        organisation=world.org, email="new@carers.example", role="organisation_member", invited_by=world.admin
    )
    from django.core import mail

    link = re.search(r"http\S+/invitations/\S+/", mail.outbox[-1].body).group(0)
    path = link.split("testserver")[-1] if "testserver" in link else "/" + link.split("/", 3)[3]
    response = client.post(path, {"full_name": "New Person", "password": "password"})
    assert response.status_code == 200
    assert_error_summary_links_resolve(response, expected={"#id_password": "too"})
    from personfirst.core.access.tests.helpers import members

    assert members(invitation.organisation).count() == 2  # nobody joined


def test_token_form_with_no_name(world, client):
    client.force_login(world.member)
    response = client.post("/account/tokens/", {"name": "   ", "scopes": ["read"], "days": "90"})
    assert response.status_code == 200
    assert_error_summary_links_resolve(response, expected={"#id_name": "Enter what you will use this token for"})


def test_password_change_with_the_wrong_old_password(world, client):
    client.force_login(world.member)
    response = client.post(
        "/account/password/",
        {
            "old_password": "wrong",
            "new_password1": "a-much-better-passphrase",
            "new_password2": "a-much-better-passphrase",
        },
    )
    assert response.status_code == 200
    assert_error_summary_links_resolve(response, expected={"#id_old_password": "incorrect"})


def test_sharing_with_nobody_chosen(world, client):
    client.force_login(world.admin)
    # Stop sharing first, so there is someone to choose.
    grant = world.org.grants_given.active().get()
    client.post(f"/organisations/{world.org.slug}/sharing/{grant.pk}/stop/")
    response = client.post(f"/organisations/{world.org.slug}/sharing/", {})
    assert response.status_code == 200
    assert_error_summary_links_resolve(response, expected={"#id_support_organisation_0": "Select an organisation"})


def test_a_page_without_errors_has_no_summary(world, client):
    client.force_login(world.admin)
    assert_no_error_summary(client.get(f"/organisations/{world.org.slug}/people/"))
    assert_no_error_summary(client.get(f"/organisations/{world.org.slug}/edit/"))
