"""Forms that give roles: the council's roles over an area, and roles over
the whole service. They check what the person typed; access.services gives
the role."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from personfirst.core.ui.dates import DateFieldsMixin, GovukDateField
from personfirst.core.ui.forms import Form

from .models import ROLE_HINTS, RoleName


class _UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.display_name} ({obj.email})" if obj.full_name else obj.email


class RoleDatesForm(DateFieldsMixin, Form):
    """From when (today unless given) until when (no end unless given)."""

    valid_from = GovukDateField(
        label="From (optional)",
        name="the start date",
        required=False,
        help_text="Leave empty to start today. For example, 31 3 2027",
    )
    last_day = GovukDateField(
        label="Last day (optional)",
        name="the last day",
        required=False,
        help_text="Leave empty for no end. For example, 31 3 2028",
    )

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        start, last = cleaned.get("valid_from"), cleaned.get("last_day")
        if start is not None and start < today:
            self.add_error("valid_from", "The start date must be today or later")
        if last is not None and last < (start or today):
            self.add_error("last_day", "The last day must be on or after the start date")
        return cleaned

    def dates(self) -> tuple[datetime.datetime | None, datetime.datetime | None]:
        """valid_from and valid_until: the role ends at the start of the day after its last day."""
        from .services import start_of

        start, last = self.cleaned_data.get("valid_from"), self.cleaned_data.get("last_day")
        start_at = None if start in (None, timezone.localdate()) else start_of(start)
        return start_at, start_of(last + datetime.timedelta(days=1)) if last else None


def _role_choices(roles) -> list[tuple[str, str]]:
    return [(role.value, f"{role.label}: {ROLE_HINTS[role][:1].lower()}{ROLE_HINTS[role][1:]}") for role in roles]


class CouncilRoleForm(RoleDatesForm):
    user = _UserChoiceField(
        label="Who",
        queryset=get_user_model().objects.none(),
        empty_label="Choose someone",
        widget=forms.Select(attrs={"class": "govuk-!-width-full"}),
        help_text="People in the council's organisation on PersonFirst.",
        error_messages={"required": "Choose who to give the role to", "invalid_choice": "Choose someone from the list"},
    )
    role = forms.ChoiceField(
        label="Which role",
        widget=forms.RadioSelect,
        error_messages={"required": "Select a role", "invalid_choice": "Select one of the roles listed"},
    )
    limit = forms.DecimalField(
        label="Approver's limit in pounds (approvers only)",
        help_text="The largest yearly personal budget they may agree, for example 25000",
        required=False,
        min_value=Decimal(0),
        max_digits=12,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={
            "invalid": "Enter the limit as a number of pounds, like 25000 or 25000.50",
            "min_value": "Enter a limit of £0 or more",
            "max_digits": "Enter a limit below £10,000,000,000",
            "max_decimal_places": "Enter the limit in pounds and pence, with no more than 2 numbers after the point",
        },
    )
    field_order = ["user", "role", "limit", "valid_from", "last_day"]

    def __init__(self, *args, people, roles, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = people
        self.fields["role"].choices = _role_choices(roles)

    def clean(self):
        cleaned = super().clean()
        role, limit = cleaned.get("role"), cleaned.get("limit")
        if role == RoleName.APPROVER and limit is None and "limit" not in self.errors:
            self.add_error("limit", "Enter the approver's limit, in pounds")
        if role and role != RoleName.APPROVER and limit is not None:
            self.add_error("limit", "Only an approver has a limit: leave it empty for this role")
        return cleaned


class PlatformRoleForm(RoleDatesForm):
    email = forms.EmailField(
        label="Their e-mail address",
        help_text="They must already have an account on PersonFirst.",
        error_messages={
            "required": "Enter the e-mail address of the person to give the role to",
            "invalid": "Enter an e-mail address in the right format, like name@example.org",
        },
    )
    role = forms.ChoiceField(
        label="Which role",
        widget=forms.RadioSelect,
        error_messages={"required": "Select a role", "invalid_choice": "Select one of the roles listed"},
    )
    field_order = ["email", "role", "valid_from", "last_day"]

    def __init__(self, *args, roles, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _role_choices(roles)

    def clean_email(self):
        email = self.cleaned_data["email"]
        user = get_user_model().objects.filter(email__iexact=email.strip(), is_active=True).first()
        if user is None:
            raise forms.ValidationError(
                "There is no open account with this e-mail address. Check it, or invite them first"
            )
        self.user = user
        return email
