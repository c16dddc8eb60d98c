"""The eligibility screen: each outcome, the practitioner's reasons."""

from __future__ import annotations

from django import forms

from personfirst.core.ui.forms import Form

from . import criteria

YES_NO = [("yes", "Yes"), ("no", "No")]


def _yes_no(label: str, hint: str, missing: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, help_text=hint, choices=YES_NO, widget=forms.RadioSelect, error_messages={"required": missing}
    )


class ScreenForm(Form):
    def __init__(self, *args, kind: str, carers=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind == criteria.CARER:
            self.fields["carer"] = forms.ModelChoiceField(
                label="Which carer is this about?",
                queryset=carers,
                widget=forms.RadioSelect,
                empty_label=None,
                error_messages={"required": "Select the carer", "invalid_choice": "Select the carer"},
            )
            self.fields["condition"] = _yes_no(
                "Do their needs come from caring for this person?",
                "Care the person needs, that the carer gives without being paid for it.",
                "Select yes if their needs come from caring",
            )
        else:
            self.fields["condition"] = _yes_no(
                "Do their needs come from a physical or mental condition or illness?",
                "Such as a disability, a long-term illness, dementia, a brain injury or a mental health condition.",
                "Select yes if their needs come from a condition or illness",
            )
        self.fields["unable"] = forms.MultipleChoiceField(
            label="Which of these can they not manage without help?",
            help_text="Not manage means: not at all, only with pain or distress, only by risking their safety "
            "or anyone else's, or only by taking much longer than most people. Select all that apply.",
            choices=criteria.OUTCOMES[kind],
            widget=forms.CheckboxSelectMultiple,
            required=False,
        )
        if kind == criteria.CARER:
            self.fields["health_at_risk"] = _yes_no(
                "Is caring putting their physical or mental health at risk of getting worse?",
                "",
                "Select yes if caring puts their health at risk",
            )
        self.fields["wellbeing"] = _yes_no(
            "As a result, is there, or is there likely to be, a big effect on their wellbeing?",
            "Wellbeing covers things like dignity, health, safety, control over daily life, relationships "
            "and taking part in work, learning and the community.",
            "Select yes if there is a big effect on their wellbeing",
        )
        self.fields["notes"] = forms.CharField(
            label="Your reasons, for the person to read",
            help_text="Write in plain English, to the person. Say what you saw and heard and why you decided this.",
            widget=forms.Textarea(attrs={"rows": 6}),
            max_length=5000,
            error_messages={"required": "Enter your reasons for the person to read"},
        )

    def clean_notes(self) -> str:
        notes = self.cleaned_data["notes"].replace("\x00", "").strip()
        if len(notes) < 10:
            raise forms.ValidationError("Write your reasons in a sentence or more")
        return notes

    def screen(self) -> criteria.Screen:
        data = self.cleaned_data
        return criteria.Screen(
            self.kind,
            data["condition"] == "yes",
            frozenset(data["unable"]),
            data["wellbeing"] == "yes",
            health_at_risk=data.get("health_at_risk") == "yes",
        )
