"""Forms for answering one section, and for co-production."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import format_html

from personfirst.core.definitions.items import NOT_RELEVANT_KEY
from personfirst.core.ui.forms import Form
from personfirst.core.validation import Invalid

from . import languages, paired
from .models import Answer, Item, Perspective, Section

NOT_RELEVANT = NOT_RELEVANT_KEY  # the choice every item has; no option may use its key


def revision_field(item: Item) -> str:
    return f"rev-{item.key}"


class SectionForm(Form):
    """The fields of every item of a section, as its type gives them (a radio
    group of its answers and "not relevant", any fields of the type's own
    such as a milestone's target dates, and a notes box), and the revision
    each answer had when the page was loaded (so that no save silently
    overwrites another).

    The form only reads what was typed; whether it is an answer the item
    takes is for the service to say (services.save_section, through the
    item's type). ``show`` puts the service's Invalid on the fields.
    """

    def __init__(self, *args, section: Section, answers: dict[str, Answer], **kwargs) -> None:
        self.section = section
        self.items = list(section.items.all())
        initial = kwargs.pop("initial", None) or {}
        for item in self.items:
            answer = answers.get(item.key)
            initial[revision_field(item)] = answer.revision if answer else 0
            if answer is not None:
                initial |= item.kind.form_initial(item.definition, answer.stored)
        super().__init__(*args, initial=initial, **kwargs)
        self.names: dict[str, list[str]] = {}
        for item in self.items:
            fields = item.kind.form_fields(item.definition)
            _in_language(item, fields)
            self.names[item.key] = list(fields)
            self.fields |= fields
            self.fields[revision_field(item)] = forms.IntegerField(
                widget=forms.HiddenInput, required=False, min_value=0
            )

    def item_groups(self) -> list[dict[str, Any]]:
        """Fields grouped per item, for the template: its type's template shows them."""
        return [
            {"item": item, "template": item.kind.template_name, "fields": [self[name] for name in self.names[item.key]]}
            for item in self.items
        ]

    def values(self) -> dict[str, dict[str, Any]]:
        """item key -> what was given, from cleaned data, for services.save_section."""
        return {item.key: item.kind.form_values(item.definition, self.cleaned_data) for item in self.items}

    def revisions(self) -> dict[str, int]:
        return {item.key: self.cleaned_data.get(revision_field(item)) or 0 for item in self.items}

    def show(self, invalid: Invalid) -> None:
        """Put the service's messages on the fields they are about."""
        items = {item.key: item for item in self.items}
        for error in invalid.errors:
            item = items.get(error.field[0])
            name = item.kind.field_name(item.definition, error.field[1:]) if item else None
            self.add_error(name if name in self.fields else None, error.message)
        self.mark_errors()


def _in_language(item: Item, fields: dict[str, forms.Field]) -> None:
    """Mark the instrument's words on an item's fields with their language
    (lang="cy": WCAG 3.1.2), when the item is shown translated
    (languages.translate_sections); the service's own words stay English."""
    language = getattr(item, "language", "en")
    if language == "en":
        return
    kind, definition = item.kind, item.definition
    main = kind.field_name(definition)
    names = [main] + [name for name in (kind.field_name(definition, ("we_option",)),) if name != main]
    for name in names:
        field = fields.get(name)
        if field is None:
            continue
        if paired.is_paired(definition):
            words = definition.settings.get("i" if name == main else "we", "")
            prefix = paired.PEOPLE if name == main else paired.ORGANISATION
            field.label = format_html('{}: “<span lang="{}">{}</span>”', prefix, language, words)
        else:
            field.label = format_html('<span lang="{}">{}</span>', language, field.label)
        if field.help_text:
            field.help_text = format_html('<span lang="{}">{}</span>', language, field.help_text)
        field.choices = [
            (value, words if value == NOT_RELEVANT else format_html('<span lang="{}">{}</span>', language, words))
            for value, words in field.choices
        ]


class StartForm(Form):
    instrument = forms.ChoiceField(
        label="Which assessment do you want to start?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the assessment you want to start"},
    )

    def __init__(self, *args, instruments, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instrument"].choices = [(i.key, i.title) for i in instruments]
        offered: dict[str, str] = {}
        for instrument in instruments:
            version = instrument.latest_version()
            offered |= dict(languages.languages_of(version)) if version else {}
        if len(offered) > 1:
            # Only shown when some instrument has a Welsh version (readiness/assessments/languages.py).
            self.fields["language"] = forms.ChoiceField(
                label="Which language do you want the questions in?",
                help_text="The questions are shown in this language. Your scores are counted the same way.",
                choices=[
                    (code, format_html('<span lang="{}">{}</span>', code, name)) for code, name in offered.items()
                ],
                widget=forms.RadioSelect,
                required=False,
                initial=languages.ENGLISH,
            )


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
