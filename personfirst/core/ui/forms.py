"""A mixin that gives Django form widgets GOV.UK Frontend classes and links
hints and errors to inputs for screen readers."""

from __future__ import annotations

from django import forms
from django.forms.widgets import Input

WIDGET_CLASSES: list[tuple[type, str, str]] = [
    # (widget class, base class, class added when the field has an error)
    (forms.Textarea, "govuk-textarea", "govuk-textarea--error"),
    (forms.Select, "govuk-select", "govuk-select--error"),
    (forms.PasswordInput, "govuk-input", "govuk-input--error"),
    (forms.NumberInput, "govuk-input govuk-input--width-5", "govuk-input--error"),
    (forms.DateInput, "govuk-input govuk-input--width-10", "govuk-input--error"),
    (Input, "govuk-input", "govuk-input--error"),
]
GROUP_WIDGETS = (forms.RadioSelect, forms.CheckboxSelectMultiple)


class GovukFormMixin:
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, GROUP_WIDGETS):
                continue
            for widget_class, base, _error in WIDGET_CLASSES:
                if isinstance(widget, widget_class):
                    existing = widget.attrs.get("class", "")
                    widget.attrs["class"] = f"{base} {existing}".strip()
                    break
            if field.help_text:
                widget.attrs["aria-describedby"] = f"{self[name].auto_id}-hint"  # type: ignore[index]

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        self.mark_errors()

    def mark_errors(self) -> None:
        """Give each field in error its GOV.UK error class and describe it by
        its message. full_clean does this; call it again after adding errors
        that a service gave (personfirst.core.validation.Invalid)."""
        for name in self.errors:  # type: ignore[attr-defined]
            if name not in self.fields:  # type: ignore[attr-defined]
                continue
            field = self.fields[name]  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, GROUP_WIDGETS):
                continue
            for widget_class, _base, error_class in WIDGET_CLASSES:
                if isinstance(widget, widget_class):
                    classes = widget.attrs.get("class", "").split()
                    if error_class not in classes:
                        widget.attrs["class"] = " ".join([*classes, error_class])
                    break
            auto_id = self[name].auto_id  # type: ignore[index]
            described = [f"{auto_id}-hint"] if field.help_text else []
            widget.attrs["aria-describedby"] = " ".join([*described, f"{auto_id}-error"])


class Form(GovukFormMixin, forms.Form):
    pass


class ModelForm(GovukFormMixin, forms.ModelForm):
    pass
