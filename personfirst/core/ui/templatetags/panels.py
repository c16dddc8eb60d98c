"""{% panels place obj %}: what the pillars show in a place on a core page (core/ui/extensions.py)."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from personfirst.core.ui import extensions

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context, place: str, obj=None) -> str:
    user = context["user"]
    parts = []
    for panel in extensions.panels_for(place):
        panel_context = panel.context(user, obj)
        if panel_context is not None:
            parts.append(render_to_string(panel.template, panel_context, request=context.get("request")))
    return mark_safe("".join(parts))  # noqa: S308 - each part is a rendered template
