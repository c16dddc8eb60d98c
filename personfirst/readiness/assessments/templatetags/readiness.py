from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def slice_level(levels, level):
    """The statement for a 1-based level."""
    try:
        return levels[int(level) - 1]
    except (IndexError, TypeError, ValueError):
        return ""


@register.filter
def signed(value) -> str:
    """+3.5, −2.0 or 0.0 for a change in score."""
    if value is None:
        return ""
    if value > 0:
        return f"+{value}"
    if value < 0:
        return f"−{abs(value)}"
    return "no change"
