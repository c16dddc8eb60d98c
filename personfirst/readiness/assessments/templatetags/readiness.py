from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def statement(answer) -> str:
    """The full statement an answer chose, where its item's type has one (a ladder's level), else ""."""
    if answer is None:
        return ""
    return answer.item.kind.statement(answer.item.definition, answer.response)


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
