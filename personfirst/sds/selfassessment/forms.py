"""Forms of the self-assessment: one question's answer; a practitioner's change with its reason."""

from __future__ import annotations

from django import forms

from personfirst.core.definitions.items import AnswerChoiceField
from personfirst.core.ui.forms import Form
from personfirst.core.validation import Invalid


class AnswerForm(Form):
    def __init__(self, *args, question, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.question = question
        self.fields["answer"] = AnswerChoiceField(
            label=question.prompt,
            help_text=question.guidance,
            choices=[(o.key, o.label) for o in question.options],
            widget=forms.RadioSelect,
            error_messages={
                "required": "Select the answer that fits best",
            },
        )

    def clean_answer(self) -> str:
        answer = self.cleaned_data["answer"]
        try:  # the item type's check: the same as the service's and the API's
            self.question.item.kind.clean(self.question.item, {"option": answer})
        except Invalid as invalid:
            raise forms.ValidationError(" ".join(error.message for error in invalid.errors)) from None
        return answer


class ReviewForm(AnswerForm):
    def __init__(self, *args, question, **kwargs) -> None:
        super().__init__(*args, question=question, **kwargs)
        self.fields["reason"] = forms.CharField(
            label="Why are you changing this answer?",
            help_text="The person and the people who support them will read this.",
            widget=forms.Textarea(attrs={"rows": 4}),
            max_length=2000,
            error_messages={"required": "Enter why you are changing this answer"},
        )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].replace("\x00", "").strip()
        if len(reason) < 10:
            raise forms.ValidationError("Say in a sentence why you are changing this answer")
        return reason
