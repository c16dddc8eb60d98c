"""The GOV.UK date input: day, month and year boxes, as one form field.

Its error messages follow the GOV.UK pattern ("… must include a month",
"… must be a real date"), and the first box carries the field's own id, so
the error summary's link lands in it. Used by action plans (due dates),
role grants (from and until) and people's records (date of birth).
"""

from __future__ import annotations

import datetime
import re

from django import forms

DATE_PARTS = ("day", "month", "year")
DATE_NUMBER = re.compile(r"[0-9]{1,4}", re.ASCII)  # a day, a month or a year, in the digits 0 to 9


class GovukDateInput(forms.MultiWidget):
    """Three boxes: day, month and year (templates/ui/widgets/date_input.html)."""

    template_name = "ui/widgets/date_input.html"
    use_fieldset = True

    def __init__(self, attrs=None) -> None:
        widths = {"day": 2, "month": 2, "year": 4}
        widgets = {
            part: forms.TextInput(
                attrs={
                    "class": f"govuk-input govuk-date-input__input govuk-input--width-{widths[part]}",
                    "inputmode": "numeric",
                    "autocomplete": "off",
                }
            )
            for part in DATE_PARTS
        }
        super().__init__(widgets, attrs)
        self.has_error = False  # set by DateFieldsMixin after validation

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        base_id = context["widget"]["attrs"].get("id")
        for part, subwidget in zip(DATE_PARTS, context["widget"]["subwidgets"], strict=True):
            sub_attrs = subwidget["attrs"]
            # The fieldset is described by the hint and error, not each box.
            sub_attrs.pop("aria-describedby", None)
            if base_id:
                sub_attrs["id"] = base_id if part == "day" else f"{base_id}_{part}"
            if self.has_error:
                sub_attrs["class"] = f"{sub_attrs.get('class', '')} govuk-input--error".strip()
            subwidget["part"] = part
            subwidget["label"] = part.capitalize()
        return context


class GovukDateField(forms.Field):
    """A date from day, month and year boxes. ``name`` is how errors speak
    of it: "The due date must include a year"."""

    widget = GovukDateInput

    def __init__(self, *, name: str = "date", **kwargs) -> None:
        self.name = name
        kwargs.setdefault("help_text", "For example, 31 3 2027")
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, datetime.date):
            return value
        parts = [(str(v).strip() if v is not None else "") for v in (value or ["", "", ""])]
        parts += [""] * (3 - len(parts))
        if not any(parts):
            return None
        missing = [part for part, text in zip(DATE_PARTS, parts, strict=False) if not text]
        if missing:
            words = " and ".join(missing) if len(missing) == 2 else missing[0]
            raise forms.ValidationError(f"{self.name.capitalize()} must include a {words}", code="incomplete")
        # Only 0-9: "²".isdigit() is true (and int() refuses it), int("٣") is 3, and
        # int() refuses more than 4,300 digits.
        if not all(DATE_NUMBER.fullmatch(text) for text in parts):
            raise forms.ValidationError(
                f"{self.name.capitalize()} must be a real date, in numbers, like 31 3 2027", code="invalid"
            )
        day, month, year = (int(text) for text in parts)
        if len(parts[2]) != 4:
            raise forms.ValidationError("Year must include 4 numbers, like 2027", code="invalid_year")
        try:
            return datetime.date(year, month, day)
        except ValueError:
            raise forms.ValidationError(
                f"{self.name.capitalize()} must be a real date, like 31 3 2027", code="invalid"
            ) from None

    def validate(self, value) -> None:
        if value is None and self.required:
            raise forms.ValidationError(f"Enter {self.name}", code="required")


class DateFieldsMixin:
    """Marks the boxes of a date field in error, as GovukFormMixin does for
    other inputs (it does not know the date input's three boxes)."""

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:  # type: ignore[attr-defined]
            field = self.fields.get(name)  # type: ignore[attr-defined]
            if field is not None and isinstance(field.widget, GovukDateInput):
                field.widget.has_error = True
