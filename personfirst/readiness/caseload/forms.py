"""The caseload's filters: a GET form, so that a filtered list has its own address."""

from __future__ import annotations

from django import forms

from personfirst.core.ui.forms import Form

from .rows import Filters

OVERDUE = "overdue"
NOT_ASSESSED = "not-assessed"


class FilterForm(Form):
    name = forms.CharField(label="Organisation name", required=False, max_length=200)
    type = forms.ChoiceField(label="Type of organisation", required=False)
    only = forms.MultipleChoiceField(
        label="Only show organisations",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(OVERDUE, "With overdue actions"), (NOT_ASSESSED, "Not assessed in the last 12 months")],
    )

    def __init__(self, *args, type_choices: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", "All types"), *type_choices]
        # A type or option the list does not offer (an old bookmark, a mistyped link): the default, not an error.
        self.drop_unknown_values()

    def filters(self) -> Filters:
        """The filters chosen, or none if the form is not valid."""
        if not self.is_valid():
            return Filters()
        data = self.cleaned_data
        return Filters(
            name=data["name"].strip(),
            org_type=data["type"],
            has_overdue=OVERDUE in data["only"],
            not_assessed_for_a_year=NOT_ASSESSED in data["only"],
        )
