"""Forms for the action plan: an action (what, why, owner, due date,
status), a progress note, the plan's filter and the organisation's targets.

Due dates use the GOV.UK date input of the UI kit (personfirst/core/ui/dates.py).
"""

from __future__ import annotations

import datetime

from django import forms

from personfirst.core.ui.dates import DateFieldsMixin, GovukDateField
from personfirst.core.ui.forms import Form

from . import services
from .models import ActionStatus


def seen_field(name: str) -> str:
    """The hidden field holding what the page showed for ``name`` when it was loaded."""
    return f"seen-{name}"


def _storable(value: str) -> str:
    if "\x00" in value:
        raise forms.ValidationError("Remove the unusual characters from this text")
    return value


class ActionForm(DateFieldsMixin, Form):
    title = forms.CharField(
        label="What will you do?",
        max_length=200,
        help_text="One clear step, for example ‘Ask three people we support to join our planning day’",
        error_messages={
            "required": "Enter what you will do",
            "max_length": "What you will do must be 200 characters or fewer",
        },
    )
    why = forms.CharField(
        label="Why? (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What it will change, or the gap it closes",
        error_messages={"max_length": "Why must be 2,000 characters or fewer"},
    )
    owner = forms.CharField(
        label="Who will make sure it happens? (optional)",
        required=False,
        max_length=120,
        help_text="A name or a role, for example ‘Sam’ or ‘the trustees’",
        error_messages={"max_length": "Who will make sure it happens must be 120 characters or fewer"},
    )
    due_date = GovukDateField(label="When should it be done by? (optional)", name="the due date", required=False)
    status = forms.ChoiceField(
        label="How is it going?",
        widget=forms.RadioSelect,
        choices=[
            (ActionStatus.NOT_STARTED.value, "Not started"),
            (ActionStatus.IN_PROGRESS.value, "In progress"),
            (ActionStatus.DONE.value, "Done"),
            (ActionStatus.DROPPED.value, "Not for us (hide it from the plan)"),
        ],
        error_messages={
            "required": "Select how it is going",
            "invalid_choice": "Select how it is going",
        },
    )

    def __init__(self, *args, with_status: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not with_status:
            del self.fields["status"]
        if self.initial:  # changing an action: remember what the page showed (see seen())
            for name in list(self.fields):
                value = self.initial.get(name)
                self.fields[seen_field(name)] = forms.CharField(
                    widget=forms.HiddenInput,
                    required=False,
                    initial=value.isoformat() if isinstance(value, datetime.date) else (value or ""),
                )

    def values(self) -> dict:
        """What the person entered, without what the page showed."""
        return {name: value for name, value in self.cleaned_data.items() if not name.startswith("seen-")}

    def seen(self) -> dict:
        """The values the page showed when it was loaded, for services.update
        (only those the page sent back)."""
        seen = {}
        for name in ("title", "why", "owner", "due_date", "status"):
            if seen_field(name) not in self.data or name not in self.fields:
                continue
            value = self.data[seen_field(name)]
            if name == "due_date":
                try:
                    value = datetime.date.fromisoformat(value) if value else None
                except ValueError:
                    continue
            seen[name] = value
        return seen

    def clean_title(self) -> str:
        return _storable(self.cleaned_data["title"].strip())

    def clean_why(self) -> str:
        return _storable(self.cleaned_data["why"].strip())

    def clean_owner(self) -> str:
        return _storable(self.cleaned_data["owner"].strip())


class NoteForm(Form):
    text = forms.CharField(
        label="Add a progress note",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What has happened, what is getting in the way, or what comes next",
        error_messages={
            "required": "Enter your progress note",
            "max_length": "The note must be 5,000 characters or fewer",
        },
    )

    def clean_text(self) -> str:
        text = _storable(self.cleaned_data["text"].strip())
        if not text:
            raise forms.ValidationError("Enter your progress note")
        return text


class FilterForm(Form):
    """The plan page's filter (a GET form)."""

    show = forms.ChoiceField(
        label="Show",
        required=False,
        choices=list(services.PLAN_FILTERS.items()),
    )

    def shown(self) -> str:
        return self.cleaned_data.get("show", "") if self.is_valid() else ""


def target_field(item_key: str) -> str:
    return f"target-{item_key}"


class TargetsForm(Form):
    """One radio group per scored item, from where the organisation is now
    to the top of the item's scale, and (hidden) the target each item had
    when the page was loaded, so that saving never silently undoes someone
    else's change."""

    def __init__(self, *args, rows: list[services.TargetRow], **kwargs) -> None:
        self.rows = [row for row in rows if not row.at_top]
        initial = {target_field(row.item.key): str(row.target) for row in self.rows}
        initial |= {seen_field(row.item.key): row.target for row in self.rows}
        super().__init__(*args, initial=initial, **kwargs)
        for row in self.rows:
            self.fields[seen_field(row.item.key)] = forms.CharField(widget=forms.HiddenInput, required=False)
            choices = []
            for level in row.choices:
                label = services.position_label(row.item, level)
                if level == row.current:
                    label += " (where you are now: no new actions)"
                elif level == row.current + 1 and not row.own:
                    label += " (one step up: suggested)"
                choices.append((str(level), label))
            field = forms.ChoiceField(
                label=row.section.title if row.section.items.count() == 1 else _short(row.item.prompt),
                help_text=f"Where you are now: {_where(row)}",
                choices=choices,
                widget=forms.RadioSelect(attrs={"small": True}),
                error_messages={
                    "required": f"Choose a target for ‘{row.section.title}’",
                    "invalid_choice": f"Choose a target for ‘{row.section.title}’: one of the statements listed",
                },
            )
            field.legend_size = "m"
            self.fields[target_field(row.item.key)] = field

    def groups(self):
        return [(row, self[target_field(row.item.key)]) for row in self.rows]

    def levels(self) -> dict[str, int]:
        return {row.item.key: int(self.cleaned_data[target_field(row.item.key)]) for row in self.rows}

    def seen(self) -> dict[str, int]:
        """item key -> the target shown when the page was loaded (where the page sent one)."""
        seen = {row.item.key: self.cleaned_data.get(seen_field(row.item.key), "") for row in self.rows}
        return {key: int(level) for key, level in seen.items() if level.isdigit()}


def _where(row: services.TargetRow) -> str:
    if row.item.kind.numbered:
        return f"statement {row.current} of {row.size}"
    return services.position_label(row.item, row.current)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 150 else text[:147] + "…"
