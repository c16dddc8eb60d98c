"""Forms for people's records. They check what was typed; services.py saves it."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from personfirst.core.ui.dates import DateFieldsMixin, GovukDateField
from personfirst.core.ui.forms import Form, ModelForm

from .models import ConsentHow, Person, SupporterKind


def _storable(value: str) -> str:
    if "\x00" in value:
        raise forms.ValidationError("Remove the unusual characters from this text")
    return value


class PersonForm(DateFieldsMixin, ModelForm):
    date_of_birth = GovukDateField(
        label="Date of birth (optional)", name="the date of birth", required=False, help_text="For example, 27 3 1951"
    )

    class Meta:
        model = Person
        fields = [
            "given_name",
            "family_name",
            "preferred_name",
            "date_of_birth",
            "email",
            "phone",
            "address",
            "what_matters",
        ]
        labels = {
            "given_name": "First name",
            "family_name": "Last name",
            "preferred_name": "What they like to be called (optional)",
            "email": "E-mail address (optional)",
            "phone": "Phone number (optional)",
            "address": "Address (optional)",
            "what_matters": "What matters to them (optional)",
        }
        help_texts = {
            "email": "Needed only to invite them to sign in and see their record.",
            "what_matters": "In their own words where you can.",
        }
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "what_matters": forms.Textarea(attrs={"rows": 5}),
            "email": forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
            "phone": forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
        }
        error_messages = {
            "given_name": {"required": "Enter their first name"},
            "family_name": {"required": "Enter their last name"},
            "email": {"invalid": "Enter an e-mail address in the right format, like name@example.org"},
        }

    def __init__(self, *args, areas=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if areas is not None and len(areas) > 1:
            self.fields["council_area"] = forms.ModelChoiceField(
                label="Which council area's record is it?",
                queryset=areas,
                widget=forms.RadioSelect,
                empty_label=None,
                error_messages={"required": "Select the council area"},
            )
            self.order_fields(["council_area"])

    def clean_date_of_birth(self):
        born = self.cleaned_data.get("date_of_birth")
        if born is not None and born > timezone.localdate():
            raise forms.ValidationError("The date of birth must be in the past")
        return born

    def clean(self):
        cleaned = super().clean()
        for name in ("given_name", "family_name", "preferred_name", "phone", "address", "what_matters"):
            value = cleaned.get(name)
            if isinstance(value, str) and "\x00" in value:
                self.add_error(name, "Remove the unusual characters from this text")
        return cleaned


KINDS = [
    (SupporterKind.CARER.value, "Carer: looks after them, unpaid"),
    (SupporterKind.FAMILY.value, "Family member"),
    (SupporterKind.ADVOCATE.value, "Advocate: helps them say what they want"),
    (SupporterKind.BROKER.value, "Broker: helps them plan and arrange their support"),
]


class SupporterForm(DateFieldsMixin, Form):
    name = forms.CharField(
        label="Their name",
        max_length=200,
        error_messages={"required": "Enter the name of the person who supports them"},
    )
    email = forms.EmailField(
        label="Their e-mail address",
        help_text="We send them a link to accept. They see the record once they have.",
        error_messages={
            "required": "Enter their e-mail address",
            "invalid": "Enter an e-mail address in the right format, like name@example.org",
        },
    )
    kind = forms.ChoiceField(
        label="How do they support them?",
        choices=KINDS,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how they support them"},
    )
    abilities = forms.MultipleChoiceField(
        label="What may they do, besides seeing the record?",
        help_text="Select all that apply, or none.",
        choices=[
            ("edit", "Change the record, together with the person"),
            ("act", "Act on the person's behalf, and see who has looked at the record"),
        ],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    last_day = GovukDateField(
        label="Until when? (optional)",
        name="the last day",
        required=False,
        help_text="Their last day of access. Leave empty for no end. For example, 31 3 2028",
    )

    def clean_name(self):
        return _storable(self.cleaned_data["name"])

    def clean_last_day(self):
        last = self.cleaned_data.get("last_day")
        if last is not None and last < timezone.localdate():
            raise forms.ValidationError("The last day must be today or later")
        return last


class RecordedConsentForm(SupporterForm):
    """A practitioner adds a supporter on the person's stated consent, and says how it was given."""

    consent_how = forms.ChoiceField(
        label="How did the person tell you they agree?",
        choices=[(c.value, c.label) for c in ConsentHow if c != ConsentHow.ONLINE],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the person told you they agree"},
    )
    consent_confirmed = forms.BooleanField(
        label="The person has told me they agree to this person supporting them, as set out above",
        error_messages={"required": "Confirm that the person has agreed"},
    )
    consent_note = forms.CharField(
        label="Anything to note about their consent (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def clean_consent_note(self):
        return _storable(self.cleaned_data.get("consent_note", ""))


class ReasonForm(Form):
    reason = forms.CharField(
        label="Why do you need to read this record?",
        help_text="This is not routine for your role. The person will see your name, when you looked and this reason.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "Enter why you need to read this record"},
    )

    def clean_reason(self):
        reason = _storable(self.cleaned_data["reason"]).strip()
        if len(reason) < 10:
            raise forms.ValidationError("Say in a sentence why you need to read this record")
        return reason


class TeamAllocationForm(Form):
    """Which records to move (the ones listed), and to which of the council's teams."""

    people = forms.MultipleChoiceField(
        label="Records to move",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one record to move"},
    )
    team = forms.ChoiceField(label="Move them to", error_messages={"required": "Choose a team to move them to"})

    def __init__(self, *args, people=(), teams=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["people"].choices = [(str(p.pk), f"{p.full_name} ({p.reference})") for p in people]
        self.fields["team"].choices = [("", "Choose a team"), ("none", "No team (every practitioner of the council)")]
        self.fields["team"].choices += [(str(t.pk), t.name) for t in teams]
        self.fields["people"].error_messages["invalid_choice"] = "Select records from the list"
        self.fields["team"].error_messages["invalid_choice"] = "Choose one of the council's teams"
