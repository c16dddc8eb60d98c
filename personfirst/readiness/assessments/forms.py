"""Forms for answering one section, and for co-production."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms

from personfirst.core.ui.forms import Form

from .models import Answer, Item, Perspective, Section

NOT_RELEVANT = "not-relevant"


def item_field(item: Item) -> str:
    return f"item-{item.key}"


def notes_field(item: Item) -> str:
    return f"notes-{item.key}"


def revision_field(item: Item) -> str:
    return f"rev-{item.key}"


def target_field(item: Item, level: int) -> str:
    return f"target-{item.key}-{level}"


class SectionForm(Form):
    """One radio group per item (statements or options, plus "not relevant"),
    a notes box, target dates for milestones, and the revision each answer
    had when the page was loaded (so that no save silently overwrites
    another)."""

    def __init__(self, *args, section: Section, answers: dict[str, Answer], **kwargs) -> None:
        self.section = section
        self.items = list(section.items.all())
        initial = kwargs.pop("initial", None) or {}
        for item in self.items:
            answer = answers.get(item.key)
            initial[revision_field(item)] = answer.revision if answer else 0
            if answer is None:
                continue
            if answer.not_relevant:
                initial[item_field(item)] = NOT_RELEVANT
            elif answer.level is not None:
                initial[item_field(item)] = str(answer.level)
            elif answer.option:
                initial[item_field(item)] = answer.option
            initial[notes_field(item)] = answer.notes
            for level, date in (answer.target_dates or {}).items():
                initial[target_field(item, int(level))] = date
        super().__init__(*args, initial=initial, **kwargs)
        for item in self.items:
            if item.uses_levels:
                choices = [(str(n), text) for n, text in enumerate(item.levels, start=1)]
            else:
                choices = [(option["key"], option["label"]) for option in item.options]
            choices.append((NOT_RELEVANT, "Not relevant to us"))
            self.fields[item_field(item)] = forms.ChoiceField(
                label=item.prompt,
                help_text=item.guidance,
                choices=choices,
                widget=forms.RadioSelect,
                required=False,
                error_messages={"invalid_choice": "Select one of the statements, or ‘Not relevant to us’"},
            )
            if item.type == "milestones":
                for level in range(2, len(item.levels) + 1):
                    self.fields[target_field(item, level)] = forms.DateField(
                        label=f"Target date for step {level}",
                        required=False,
                        widget=forms.DateInput(attrs={"type": "date"}),
                        error_messages={
                            "invalid": f"Enter the target date for step {level} as a real date, like 2027-03-31"
                        },
                    )
            self.fields[notes_field(item)] = forms.CharField(
                label="Comments, ideas and actions" if item.comments else "Notes (optional)",
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={"max_length": "Notes must be 5,000 characters or fewer"},
            )
            self.fields[revision_field(item)] = forms.IntegerField(
                widget=forms.HiddenInput, required=False, min_value=0
            )

    def item_groups(self) -> list[dict[str, Any]]:
        """Fields grouped per item, for the template."""
        groups = []
        for item in self.items:
            targets = (
                [self[target_field(item, level)] for level in range(2, len(item.levels) + 1)]
                if item.type == "milestones"
                else []
            )
            groups.append(
                {"item": item, "choice": self[item_field(item)], "notes": self[notes_field(item)], "targets": targets}
            )
        return groups

    def values(self) -> dict[str, dict[str, Any]]:
        """item key -> answer values, from cleaned data."""
        result = {}
        for item in self.items:
            choice = self.cleaned_data.get(item_field(item)) or ""
            value: dict[str, Any] = {
                "level": None,
                "option": "",
                "not_relevant": choice == NOT_RELEVANT,
                "notes": self.cleaned_data.get(notes_field(item), "").strip(),
                "target_dates": {},
            }
            if choice and choice != NOT_RELEVANT:
                if item.uses_levels:
                    value["level"] = int(choice)
                else:
                    value["option"] = choice
            if item.type == "milestones":
                for level in range(2, len(item.levels) + 1):
                    date = self.cleaned_data.get(target_field(item, level))
                    if isinstance(date, datetime.date):
                        value["target_dates"][str(level)] = date.isoformat()
            result[item.key] = value
        return result

    def revisions(self) -> dict[str, int]:
        return {item.key: self.cleaned_data.get(revision_field(item)) or 0 for item in self.items}


class StartForm(Form):
    instrument = forms.ChoiceField(
        label="Which assessment do you want to start?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the assessment you want to start"},
    )

    def __init__(self, *args, instruments, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instrument"].choices = [(i.key, i.title) for i in instruments]


class RespondentForm(Form):
    person = forms.ChoiceField(
        label="Who should answer?",
        help_text=(
            "People in your organisation and development workers you share with. "
            "To add someone else, invite them to your organisation first."
        ),
        widget=forms.RadioSelect,
        error_messages={"required": "Select the person who should answer"},
    )
    perspective = forms.ChoiceField(
        label="Which point of view do they bring?",
        choices=Perspective.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select their point of view"},
    )

    def __init__(self, *args, people, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.people = {str(user.pk): user for user in people}
        self.fields["person"].choices = [(str(user.pk), f"{user.display_name} ({user.email})") for user in people]
