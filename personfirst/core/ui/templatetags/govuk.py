"""Template helpers for GOV.UK Frontend markup."""

from django import forms, template

register = template.Library()

MULTI_OPTION_WIDGETS = (forms.RadioSelect, forms.CheckboxSelectMultiple)


@register.filter
def error_anchor(bound_field) -> str:
    """The id an error-summary link must point at: the field itself, or the
    first option of a radio or checkbox group (whose group has no id)."""
    if isinstance(bound_field.field.widget, MULTI_OPTION_WIDGETS):
        return f"{bound_field.auto_id}_0"
    return bound_field.auto_id


@register.filter
def widget_type(bound_field) -> str:
    return bound_field.widget_type


@register.filter
def duration_words(value) -> str:
    """A timedelta in plain words: "15 minutes", "1 hour", "1 hour and 30 minutes"."""
    minutes = int(value.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if minutes or not hours:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return " and ".join(parts)
