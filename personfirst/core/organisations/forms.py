from __future__ import annotations

from django import forms

from personfirst.core.access.models import RoleName
from personfirst.core.ui.forms import Form, ModelForm

from .choices import TYPES_THAT_GIVE_ACCESS, OrganisationType, ServiceKind
from .models import Organisation


class OrganisationForm(ModelForm):
    description = forms.CharField(
        label="What does your organisation do? (optional)",
        required=False,
        max_length=Organisation.DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": f"What your organisation does must be {Organisation.DESCRIPTION_MAX_LENGTH:,} characters "
            "or fewer"
        },
    )
    services = forms.MultipleChoiceField(
        label="Which kinds of service do you provide?",
        help_text="Select all that apply. Some questions in assessments only apply to some services.",
        choices=ServiceKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Organisation
        fields = ["name", "org_type", "paid_staff", "volunteers", "services", "description"]
        labels = {
            "name": "Organisation name",
            "org_type": "What type of organisation is it?",
            "paid_staff": "How many paid staff do you have?",
            "volunteers": "How many volunteers do you have?",
        }
        help_texts = {
            "paid_staff": "Count people, not full-time equivalents. Enter 0 if you have none.",
            "volunteers": "Enter 0 if you have none.",
        }
        widgets = {
            "org_type": forms.RadioSelect,
            "paid_staff": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            "volunteers": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
        }
        error_messages = {
            "name": {"required": "Enter the organisation's name"},
            "org_type": {"required": "Select the type of organisation"},
            "paid_staff": {"required": "Enter the number of paid staff, or 0"},
            "volunteers": {"required": "Enter the number of volunteers, or 0"},
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # An organisation cannot make itself a council or a support organisation
        # (that would give its members access to others); one that is keeps its type.
        current = self.instance.org_type if self.instance.pk else None
        if current in TYPES_THAT_GIVE_ACCESS:
            self.fields["org_type"].choices = [(current, OrganisationType(current).label)]
        else:
            self.fields["org_type"].choices = [
                choice for choice in OrganisationType.choices if choice[0] not in TYPES_THAT_GIVE_ACCESS
            ]


class InvitationForm(Form):
    email = forms.EmailField(
        label="E-mail address",
        error_messages={
            "required": "Enter the e-mail address of the person you want to invite",
            "invalid": "Enter an e-mail address in the right format, like name@example.org",
        },
    )
    role = forms.ChoiceField(
        label="What should they be able to do?",
        choices=[
            (RoleName.ORGANISATION_MEMBER.value, "Member: take part in assessments and see the organisation's records"),
            (
                RoleName.ORGANISATION_ADMIN.value,
                "Administrator: also change the profile, invite people and decide who the organisation shares with",
            ),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select what they should be able to do"},
    )

    def __init__(self, *args, organisation: Organisation | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if organisation is not None and organisation.is_support_organisation:
            self.fields["role"].choices = [
                *self.fields["role"].choices,
                (
                    RoleName.DEVELOPMENT_WORKER.value,
                    "Development worker: a member who works with the organisations that share their records with you",
                ),
            ]


class ShareForm(Form):
    support_organisation = forms.ModelChoiceField(
        label="Which support and development organisation should see your records?",
        queryset=Organisation.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Select an organisation to share with"},
    )

    parts = forms.MultipleChoiceField(
        label="What should they see, besides your profile?",
        help_text="Select all that apply.",
        choices=[
            ("assessments", "Your readiness assessments, with their results, reports and history"),
            ("plan", "Your action plan"),
        ],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, queryset, **kwargs) -> None:
        kwargs.setdefault("initial", {"parts": ["assessments", "plan"]})
        super().__init__(*args, **kwargs)
        self.fields["support_organisation"].queryset = queryset
