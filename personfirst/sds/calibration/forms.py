"""The upload form and the band starts of the fit page."""

from __future__ import annotations

from django import forms

from personfirst.core.ui.forms import Form

from . import presenting

MAX_BYTES = 20 * 1024 * 1024


class UploadForm(Form):
    file = forms.FileField(
        label="Calibration file",
        help_text="A CSV file, one costed package a row, with the columns listed above. At most 20 MB.",
        error_messages={"required": "Select a calibration file", "empty": "The file you selected is empty"},
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > MAX_BYTES:
            raise forms.ValidationError("The file must be 20 MB or smaller: split it into smaller files")
        return file


class BandsForm(Form):
    bands = forms.CharField(
        label="Band starts (points)",
        help_text="Optional. Whole numbers separated by commas, like 0, 10, 20, 40. "
        "Leave it empty to start a band at every fifth of the packages.",
        required=False,
        max_length=200,
    )

    def clean_bands(self):
        try:
            return presenting.band_starts(self.cleaned_data["bands"])
        except presenting.BandsError as problem:
            raise forms.ValidationError(str(problem)) from None
