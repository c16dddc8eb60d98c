from django import template

from personfirst.core.ui import extensions
from personfirst.core.ui.templatetags.panels import panels

register = template.Library()

# The organisation's own tabs; the pillars add theirs (core/ui/extensions.py).
CORE_TABS = [
    extensions.OrganisationTab("profile", "Profile", "organisations:detail", order=0),
    extensions.OrganisationTab("people", "People", "organisations:people", 80, "organisations.manage_people"),
    extensions.OrganisationTab("sharing", "Sharing", "organisations:sharing", 85, "organisations.manage_sharing"),
    extensions.OrganisationTab("audit", "Record of changes", "organisations:audit", 90, "organisations.view_audit"),
]


@register.inclusion_tag("organisations/_nav.html", takes_context=True)
def organisation_nav(context, organisation, section: str) -> dict:
    user = context["user"]
    tabs = sorted(CORE_TABS + extensions.organisation_tabs, key=lambda tab: tab.order)
    shown = [
        {"key": tab.key, "label": tab.label, "url": tab.url(organisation)}
        for tab in tabs
        if user.has_perm(tab.permission, organisation)
    ]
    return {"organisation": organisation, "section": section, "tabs": shown, "user": user}


@register.simple_tag(takes_context=True)
def organisation_panels(context, organisation, place: str) -> str:
    """Whatever the pillars show in this place on an organisation's page."""
    return panels(context, place, organisation)
