from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def in_full(answer) -> str:
    """The answer in the words it was chosen by (a ladder's statement, a rating's option), by its item's type."""
    if answer is None:
        return "Not answered"
    return answer.item.kind.answer_in_full(answer.item.definition, answer.response)


@register.filter
def place(answer) -> str:
    """ "Statement 2 of 4" for numbered statements, "" otherwise."""
    if answer is None:
        return ""
    return answer.item.kind.place(answer.item.definition, answer.response)


@register.filter
def details(answer) -> list[str]:
    """More about an answer than its choice, by its item's type (a milestone's target dates)."""
    if answer is None:
        return []
    return answer.describe()


@register.filter
def lang(thing) -> str:
    """lang="cy" for instrument text shown in another language than the page's
    (languages.translate_sections sets ``language`` on what it translated); "" for English."""
    language = getattr(thing, "language", "") if not isinstance(thing, dict) else thing.get("language", "")
    if not language or language == "en":
        return ""
    return format_html(' lang="{}"', language)


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
