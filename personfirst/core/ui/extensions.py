"""Places on core pages where the pillars add their own links and panels.

Core never imports a pillar (docs/architecture.md). A pillar that wants a
link in the service navigation, a tab on an organisation's pages or a
panel on a core page registers it here from its ``AppConfig.ready()``;
core's templates show whatever is registered, in ``order``, to whoever the
permission allows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    """A link in the service navigation, for people who have ``permission``."""

    label: str
    url_name: str
    permission: str
    order: int


@dataclass(frozen=True)
class OrganisationTab:
    """A tab on an organisation's pages (``key`` marks the current one)."""

    key: str
    label: str
    url_name: str
    order: int
    permission: str = "organisations.view_organisation"

    def url(self, organisation) -> str:
        return reverse(self.url_name, args=[organisation.slug])


@dataclass(frozen=True)
class PersonTab:
    """A tab on the pages of a person's record (``key`` marks the current
    one), for people who have ``permission`` on the record. ``label_self``
    is the label the person sees on their own record."""

    key: str
    label: str
    label_self: str
    url_name: str
    order: int
    permission: str = "people.view_person"


@dataclass(frozen=True)
class Panel:
    """A part of a core page drawn by a pillar: ``context(user, obj)`` returns
    the template's context, or None to show nothing."""

    place: str
    template: str
    context: Callable[[Any, Any], dict | None]
    order: int


@dataclass(frozen=True)
class FooterLink:
    """A link in the footer, for everyone (signed in or not)."""

    label: str
    url_name: str
    order: int


@dataclass(frozen=True)
class FooterCredit:
    """A line of credit in the footer, for data a pillar uses under licence."""

    text: str
    licence_label: str
    licence_url: str


navigation: list[NavItem] = []
footer_links: list[FooterLink] = []
footer_credits: list[FooterCredit] = []
organisation_tabs: list[OrganisationTab] = []
person_tabs: list[PersonTab] = []
panels: list[Panel] = []

# The places a Panel can go.
ORGANISATION_BANNER = "organisation-banner"  # under the tabs of an organisation's home page
ORGANISATION_SIDE = "organisation-side"  # the side column of an organisation's home page
DASHBOARD = "dashboard"  # the signed-in home page (obj is None)
PLACES = {ORGANISATION_BANNER, ORGANISATION_SIDE, DASHBOARD}


def add_nav_item(item: NavItem) -> None:
    if item not in navigation:
        navigation.append(item)
        navigation.sort(key=lambda i: i.order)


def add_footer_link(link: FooterLink) -> None:
    if link not in footer_links:
        footer_links.append(link)
        footer_links.sort(key=lambda i: i.order)


def add_footer_credit(credit: FooterCredit) -> None:
    if credit not in footer_credits:
        footer_credits.append(credit)


def add_organisation_tab(tab: OrganisationTab) -> None:
    if tab not in organisation_tabs:
        organisation_tabs.append(tab)
        organisation_tabs.sort(key=lambda t: t.order)


def add_person_tab(tab: PersonTab) -> None:
    if tab not in person_tabs:
        person_tabs.append(tab)
        person_tabs.sort(key=lambda t: t.order)


def add_panel(panel: Panel) -> None:
    if panel.place not in PLACES:
        raise ValueError(f"Unknown place for a panel: {panel.place!r} (one of {sorted(PLACES)})")
    if panel not in panels:
        panels.append(panel)
        panels.sort(key=lambda p: p.order)


def panels_for(place: str) -> list[Panel]:
    return [panel for panel in panels if panel.place == place]
