"""The public search form (GET, so every search is a link people can share)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms

from personfirst.core.ui.forms import Form
from personfirst.market.directory import postcodes
from personfirst.market.directory.vocabulary import Theme

from .engine import Query

DISTANCES = [
    ("", "Any distance"),
    ("1", "1 km"),
    ("3", "3 km"),
    ("5", "5 km"),
    ("10", "10 km"),
    ("25", "25 km"),
    ("50", "50 km"),
]
ONLY = [
    ("covers", "Services that cover my postcode"),
    ("free", "Free services"),
    ("budget", "Services a personal budget or direct payment can pay for"),
    ("accredited", "Accredited providers"),
    ("pa", "Personal assistants"),
]


class SearchForm(Form):
    q = forms.CharField(
        label="What are you looking for?",
        required=False,
        max_length=200,
        help_text="For example: day centre, cleaning, carers",
    )
    goal = forms.CharField(
        label="What would you like to do?",
        required=False,
        max_length=300,
        help_text="In your own words, for example: get out to see my friends on Saturdays",
    )
    postcode = forms.CharField(
        label="Postcode",
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "autocomplete": "postal-code"}),
    )
    distance = forms.ChoiceField(label="Distance", required=False, choices=DISTANCES)
    theme = forms.ChoiceField(label="Theme", required=False, choices=[("", "Any theme"), *Theme.choices])
    max_price = forms.CharField(
        label="Price up to (£)",
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-5"}),
        help_text="Any unit: per hour, session, week or item",
    )
    only = forms.MultipleChoiceField(
        label="Show only", required=False, choices=ONLY, widget=forms.CheckboxSelectMultiple
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=10_000, widget=forms.HiddenInput)

    def clean_postcode(self):
        text = (self.cleaned_data.get("postcode") or "").strip()
        if not text:
            return None
        try:
            return postcodes.place(text)
        except postcodes.PostcodeError as error:
            raise forms.ValidationError(str(error)) from None

    def clean_max_price(self):
        text = (self.cleaned_data.get("max_price") or "").strip().lstrip("£").replace(",", "")
        if not text:
            return None
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise forms.ValidationError("Enter a price in pounds, like 20 or 12.50") from None
        if not value.is_finite() or value < 0 or value > Decimal("100000"):
            raise forms.ValidationError("Enter a price from £0 to £100,000")
        return value

    def clean(self):
        data = super().clean()
        if data.get("distance") and not data.get("postcode") and "postcode" not in self.errors:
            self.add_error("postcode", "Enter a postcode to search within a distance of it")
        if "covers" in (data.get("only") or []) and not data.get("postcode") and "postcode" not in self.errors:
            self.add_error("postcode", "Enter your postcode to find services that cover it")
        return data

    def query(self) -> Query:
        data = self.cleaned_data
        only = set(data.get("only") or [])
        return Query(
            words=data.get("q") or "",
            goal=data.get("goal") or "",
            theme=data.get("theme") or "",
            place=data.get("postcode"),
            within_metres=int(data["distance"]) * 1000 if data.get("distance") else None,
            covers="covers" in only,
            max_price=data.get("max_price"),
            free_only="free" in only,
            personal_budget="budget" in only,
            accredited="accredited" in only,
            personal_assistants="pa" in only,
            page=data.get("page") or 1,
        )
