"""A mixin that gives Django form widgets GOV.UK Frontend classes, links
hints and errors to inputs for screen readers, and puts the service's own
words in place of every error message Django would otherwise show.

The messages are the one place the service's defaults are written
(``own_messages``): a field's own messages, given where it is declared,
always win; Django's defaults never reach a person."""

from __future__ import annotations

import functools

from django import forms
from django.core import validators as django_validators
from django.core.exceptions import ValidationError
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


# Numbers at or above this are too long to read: a limit this big is said in words.
READABLE_LIMIT = 1_000_000


def django_defaults(field: forms.Field) -> dict[str, str]:
    """Django's own messages for a field of this class, by code."""
    messages: dict[str, str] = {}
    for cls in reversed(type(field).__mro__):
        messages.update(getattr(cls, "default_error_messages", {}))
    return {code: str(message) for code, message in messages.items()}


def _subject(field: forms.Field) -> str:
    """What the field is, for a sentence: its label in lower case, or "your
    answer" when the label is a question or missing."""
    label = str(field.label or "").strip().rstrip(":")
    if not label or label.endswith("?") or label.endswith(")") or len(label) > 60:
        return "your answer"
    first = label.split()[0]
    acronym = len(first) > 1 and first.isalpha() and first.isupper()  # "API", "CQC": kept as they are
    return label if acronym else label[:1].lower() + label[1:]


def _number(value) -> str:
    return f"{value:,}"


def _limits(field: forms.Field, model_field=None) -> dict[str, object]:
    """The limits the field (or the model field behind it) enforces, by message code."""
    limits: dict[str, object] = {}
    found = list(field.validators) + list(getattr(model_field, "validators", []) or [])
    for validator in found:
        code = getattr(validator, "code", None)
        if code in ("max_value", "min_value", "max_length", "min_length") and code not in limits:
            limits[code] = validator.limit_value
    return limits


def own_messages(field: forms.Field, model_field=None) -> dict[str, str]:
    """The service's message for each way the field can be wrong (GOV.UK
    style: say what to do), with the field's real limits in them."""
    subject = _subject(field)
    capital = subject[:1].upper() + subject[1:]
    choosing = isinstance(field, forms.ChoiceField | forms.ModelChoiceField | forms.BooleanField)
    generic = subject == "your answer"
    if generic:
        required = "Select an answer" if choosing else "Enter an answer"
        of_subject = ""
    else:
        required = f"Select {subject}" if choosing else f"Enter {subject}"
        of_subject = f" for {subject}"
    messages = {
        "required": required,
        "invalid_choice": f"Select one of the options{of_subject}",
        "invalid_list": f"Select one or more of the options{of_subject}",
        "invalid_pk_value": f"Select one of the options{of_subject}",
        "unique": f"{capital} is already in use: enter a different one",
        "invalid": f"Enter {subject} in the right format",
    }
    if isinstance(field, forms.IntegerField):
        messages["invalid"] = "Enter a whole number, like 12"
    if isinstance(field, forms.DecimalField | forms.FloatField):
        messages["invalid"] = "Enter a number, like 12.50"
        messages["max_digits"] = f"{capital} has too many digits: enter a smaller number"
        messages["max_whole_digits"] = f"{capital} has too many digits: enter a smaller number"
        messages["max_decimal_places"] = f"{capital} can have at most %(max)s digits after the decimal point"
    if isinstance(field, forms.DateField | forms.DateTimeField):
        messages["invalid"] = f"{capital} must be a real date"
        messages["overflow"] = f"{capital} must be a real date"
    if isinstance(field, forms.EmailField):
        messages["invalid"] = "Enter an e-mail address in the right format, like name@example.org"
    if isinstance(field, forms.URLField):
        messages["invalid"] = "Enter a web address in the right format, like https://www.example.org"
    if isinstance(field, forms.FileField):
        messages["invalid"] = "Select a file"
        messages["missing"] = "Select a file"
        messages["empty"] = "The file you selected is empty"
        messages["contradiction"] = "Select a file, or tick the box to remove it, but not both"
    limits = _limits(field, model_field)
    messages["max_length"] = f"{capital} is too long"
    if "max_length" in limits:
        messages["max_length"] = f"{capital} must be {_number(limits['max_length'])} characters or fewer"
    if "min_length" in limits:
        messages["min_length"] = f"{capital} must be {_number(limits['min_length'])} characters or more"
    if "max_value" in limits:
        limit = limits["max_value"]
        messages["max_value"] = (
            f"{capital} is too large: enter a smaller number"
            if isinstance(limit, int | float) and abs(limit) >= READABLE_LIMIT
            else f"{capital} must be {_number(limit) if isinstance(limit, int) else limit} or less"
        )
    else:
        messages["max_value"] = f"{capital} is too large: enter a smaller number"
    if "min_value" in limits:
        limit = limits["min_value"]
        messages["min_value"] = (
            f"{capital} is too small: enter a bigger number"
            if isinstance(limit, int | float) and abs(limit) >= READABLE_LIMIT
            else f"{capital} must be {_number(limit) if isinstance(limit, int) else limit} or more"
        )
    else:
        messages["min_value"] = f"{capital} is too small: enter a bigger number"
    messages["step_size"] = f"Enter {subject} in steps of %(limit_value)s"
    return messages


# The messages of Django's validators, which a field shows unless its
# error_messages give one for the validator's code.
VALIDATOR_DEFAULTS = {
    str(cls.message)
    for cls in (
        django_validators.MaxValueValidator,
        django_validators.MinValueValidator,
        django_validators.MaxLengthValidator,
        django_validators.MinLengthValidator,
        django_validators.StepValueValidator,
        django_validators.EmailValidator,
        django_validators.URLValidator,
        django_validators.ProhibitNullCharactersValidator,
    )
}


def use_own_messages(field: forms.Field, model_field=None) -> None:
    """Replace every Django default among the field's messages (and those of
    its validators' codes) with the service's own; keep messages the field
    was given."""
    defaults = django_defaults(field)
    ours = own_messages(field, model_field)
    current = dict(field.error_messages)
    # Only the codes this field can raise: a code added beyond those would
    # also replace the words of a custom validator that happens to use it.
    codes = set(current) | set(_limits(field, model_field))
    if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        codes |= {"max_value", "min_value"}
    if model_field is not None and getattr(model_field, "unique", False):
        codes.add("unique")
    codes |= {
        validator.code
        for validator in field.validators
        if str(getattr(validator, "message", "")) in VALIDATOR_DEFAULTS and getattr(validator, "code", None)
    }
    for code in codes & set(ours):
        given = current.get(code)
        if given is None or str(given) == defaults.get(code) or str(given) in VALIDATOR_DEFAULTS:
            current[code] = ours[code]
    # A validator whose code has no message of ours says what it means itself; ours or its own custom words.
    for validator in field.validators:
        code = getattr(validator, "code", None)
        if code == "null_characters_not_allowed":
            current.setdefault(code, f"{ours['invalid']}: remove any unusual characters")
    field.error_messages = current
    if isinstance(field, forms.ModelChoiceField):
        # Django checks a chosen key for NUL bytes itself, with its own words
        # and not the field's messages: a value nobody could pick is "not an option".
        field.validate_no_null_characters = functools.partial(_no_null_characters, current["invalid_choice"])


def _no_null_characters(message: str, value) -> None:
    if "\x00" in str(value):
        raise ValidationError(message, code="invalid_choice", params={"value": ""})


class GovukFormMixin:
    """GOV.UK classes, hints and the service's messages for every field, those
    a form adds in its own __init__ included: each field is prepared once,
    when the form is made, or first shown or checked if it came later."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        self._prepare_fields()

    def _prepare_fields(self) -> None:
        model = getattr(getattr(self, "_meta", None), "model", None)
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            if getattr(field, "_govuk_prepared", False):
                continue
            field._govuk_prepared = True
            model_field = None
            if model is not None:
                try:
                    model_field = model._meta.get_field(name)
                except Exception:  # noqa: BLE001 - a form field with no model field behind it
                    model_field = None
            use_own_messages(field, model_field)
            widget = field.widget
            if isinstance(widget, GROUP_WIDGETS):
                continue
            for widget_class, base, _error in WIDGET_CLASSES:
                if isinstance(widget, widget_class):
                    existing = widget.attrs.get("class", "")
                    if base.split()[0] not in existing.split():
                        widget.attrs["class"] = f"{base} {existing}".strip()
                    break
            if field.help_text:
                bound = super().__getitem__(name)  # type: ignore[misc]
                widget.attrs["aria-describedby"] = f"{bound.auto_id}-hint"

    def __getitem__(self, name):
        field = self.fields.get(name)  # type: ignore[attr-defined]
        if field is not None and not getattr(field, "_govuk_prepared", False):  # one added after __init__
            self._prepare_fields()
        return super().__getitem__(name)  # type: ignore[misc]

    def drop_unknown_values(self) -> None:
        """For a GET form of sorts and filters: forget any choice the form
        does not offer, and any hidden value that is not valid (an old
        bookmark, a mistyped link), so that the page shows its default for
        them instead of an error. Call before is_valid()."""
        if not self.is_bound:  # type: ignore[attr-defined]
            return
        data = self.data.copy()  # type: ignore[attr-defined]
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            if isinstance(field, forms.ModelChoiceField):
                continue
            if isinstance(field, forms.MultipleChoiceField):
                data.setlist(name, [value for value in data.getlist(name) if field.valid_value(value)])
            elif isinstance(field, forms.ChoiceField):
                if name in data and data[name] and not field.valid_value(data[name]):
                    data.pop(name)
            elif isinstance(field.widget, forms.HiddenInput) and name in data:
                try:
                    field.clean(data[name])
                except forms.ValidationError:
                    data.pop(name)
        self.data = data  # type: ignore[attr-defined]

    def full_clean(self) -> None:
        self._prepare_fields()
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
