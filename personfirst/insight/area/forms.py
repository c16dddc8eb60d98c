"""The filters of an area insight page: a GET form, so that every filtered
page has its own address and works without JavaScript."""

from __future__ import annotations

from django import forms

from personfirst.core.organisations.choices import OrganisationType, SizeBand
from personfirst.core.ui.forms import Form
from personfirst.readiness.assessments.models import Instrument

from . import quarters
from .report import DEFAULT_STEP, Filters

LATEST = ""


class FilterForm(Form):
    instrument = forms.ChoiceField(label="Instrument", required=False)
    period = forms.ChoiceField(
        label="Assessments counted",
        help_text="Choose one period at a time: figures for overlapping dates could be taken from each other.",
        required=False,
        error_messages={"invalid_choice": "Choose a period from the list"},
    )
    step = forms.ChoiceField(label="Common needs: count organisations below", required=False)
    type = forms.MultipleChoiceField(
        label="Type of organisation",
        help_text="Tick none for every type.",
        choices=OrganisationType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    size = forms.MultipleChoiceField(
        label="Size band",
        help_text="Paid staff and volunteers together. Tick none for every size.",
        choices=SizeBand.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(
        self,
        data=None,
        *,
        instruments: list[Instrument],
        instrument: Instrument,
        periods: list[tuple[int, int]],
        steps: list[int],
    ) -> None:
        default_step = str(min(DEFAULT_STEP, max(steps)))
        if data is not None:
            # What the page shows when the address leaves them out.
            data = data.copy()
            data.setdefault("instrument", instrument.key)
            data.setdefault("step", default_step)
        super().__init__(data, initial={"instrument": instrument.key, "step": default_step})
        self.fields["instrument"].choices = [(i.key, i.title) for i in instruments]
        self.fields["period"].choices = [(LATEST, "Each organisation's latest assessment")] + [
            (str(first), f"Submitted in {quarters.period_label(first, last)}") for first, last in reversed(periods)
        ]
        self.fields["step"].choices = [(str(step), f"Step {step}") for step in steps]

    def filters(self) -> Filters:
        """The filters chosen (all of them off if the form has errors)."""
        if not self.is_bound or not self.is_valid():
            return Filters()
        data = self.cleaned_data
        return Filters(
            types=tuple(data["type"]) or None,
            sizes=tuple(data["size"]) or None,
            period=int(data["period"]) if data.get("period") else None,
            step=int(data["step"]) if data.get("step") else None,
        )
