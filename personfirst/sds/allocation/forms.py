"""The RAS admin forms: uploading a RAS file, and publishing a draft."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from personfirst.core.ui.dates import DateFieldsMixin, GovukDateField
from personfirst.core.ui.forms import Form

MAX_BYTES = 200_000


class UploadForm(Form):
    file = forms.FileField(
        label="RAS file",
        help_text="A RAS definition file (YAML), in the format set out in the guidance. It is stored as a draft.",
        error_messages={"required": "Select a RAS file", "empty": "The file you selected is empty"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(f"The file must be smaller than {MAX_BYTES // 1000} KB")
        try:
            self.text = upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise forms.ValidationError("The file must be a text file (UTF-8), such as a .yaml file") from None
        return upload


class PublishForm(DateFieldsMixin, Form):
    effective_from = GovukDateField(
        label="Date it takes effect",
        name="the date it takes effect",
        help_text="Today or later. From this date, new indicative budgets are worked out with this version. "
        "For example, 1 4 2027",
    )

    def clean_effective_from(self):
        day = self.cleaned_data["effective_from"]
        if day is not None and day < timezone.localdate():
            raise forms.ValidationError("The date it takes effect must be today or later")
        return day
