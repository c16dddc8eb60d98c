from __future__ import annotations

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.core.mail import EmailMultiAlternatives
from django.template import loader

from personfirst.core.ui.forms import Form, GovukFormMixin, ModelForm

from .models import ApiToken, User, normalise_email


class SignInForm(GovukFormMixin, auth_forms.AuthenticationForm):
    username = forms.EmailField(
        label="E-mail address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your e-mail address",
            "invalid": "Enter an e-mail address in the right form, like name@example.org",
        },
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )
    error_messages = {
        "invalid_login": "The e-mail address or password is not right. Check them and try again.",
        "inactive": "This account has been closed.",
    }

    def add_credential_error(self) -> None:
        """Show a failed sign-in against the password field so the summary links to it."""
        self.add_error("password", self.error_messages["invalid_login"])

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError as error:
            if error.code == "invalid_login":
                self.add_credential_error()
                return self.cleaned_data
            raise


class PasswordChangeForm(GovukFormMixin, auth_forms.PasswordChangeForm):
    pass


class PasswordResetForm(GovukFormMixin, auth_forms.PasswordResetForm):
    """Django's reset form, made to take as long for an address with no
    account as for one with an account, and to send nothing itself.

    For an address with no account, `get_users` gives a stand-in (an unsaved
    User), so `save` makes a token and writes the e-mail just the same; the
    e-mail to the stand-in is then dropped. The e-mails to send are left in
    `outbox`, and the view sends them after its answer has gone
    (views.SendAfterResponse), so the time an SMTP server takes is never
    part of the answer either.
    """

    email = forms.EmailField(
        label="E-mail address", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.outbox: list[EmailMultiAlternatives] = []
        self.stand_in: User | None = None

    def get_users(self, email: str):
        users = list(super().get_users(email))
        if users:
            return users
        self.stand_in = User(email=normalise_email(email))
        return [self.stand_in]

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ) -> None:
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        message = EmailMultiAlternatives(subject, body, from_email, [to_email])
        if html_email_template_name is not None:
            message.attach_alternative(loader.render_to_string(html_email_template_name, context), "text/html")
        if context["user"] is not self.stand_in:
            self.outbox.append(message)


class SetPasswordForm(GovukFormMixin, auth_forms.SetPasswordForm):
    pass


class ProfileForm(ModelForm):
    # Required here (the model allows a blank name for accounts made before
    # their owner gave one): people are greeted and named by it.
    full_name = forms.CharField(
        label="Your name",
        max_length=200,
        error_messages={
            "required": "Enter your name",
            "max_length": "Your name must be 200 characters or fewer",
        },
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    class Meta:
        model = User
        fields = ["full_name"]


class TokenForm(Form):
    name = forms.CharField(
        label="What will you use this token for?",
        max_length=100,
        error_messages={
            "required": "Enter what you will use this token for",
            "max_length": "What you will use the token for must be 100 characters or fewer",
        },
        help_text="For example: 'monthly report script'. This helps you recognise it later.",
    )
    scopes = forms.MultipleChoiceField(
        label="What may it be used for?",
        choices=list(ApiToken.SCOPES.items()),
        initial=[ApiToken.READ],
        widget=forms.CheckboxSelectMultiple,
        help_text="Give it only what the script needs. It can never do more than you can.",
        error_messages={
            "required": "Choose what the token may be used for",
            "invalid_choice": "Choose what the token may be used for from the list",
            "invalid_list": "Choose what the token may be used for from the list",
        },
    )
    days = forms.TypedChoiceField(
        label="How long should it work?",
        choices=[(days, f"{days} days") for days in ApiToken.LIFETIMES],
        coerce=int,
        initial=ApiToken.DEFAULT_DAYS,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose how long the token should work",
            "invalid_choice": "Choose how long the token should work from the list",
        },
    )


class SignUpForm(Form):
    """Used when someone accepts an invitation and has no account yet."""

    full_name = forms.CharField(
        label="Your name", max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    password = forms.CharField(
        label="Choose a password",
        strip=False,
        help_text="At least 10 characters. Avoid common words and passwords you use elsewhere.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs) -> None:
        self.email = email
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        password_validation.validate_password(
            password, User(email=self.email, full_name=self.data.get("full_name", ""))
        )
        return password


class TwoFactorCodeForm(Form):
    """A code from the authenticator app (or, on the code page, a recovery code)."""

    code = forms.CharField(
        label="Code",
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "spellcheck": "false", "class": "govuk-input--width-10"}
        ),
        error_messages={"required": "Enter the code", "max_length": "Enter the code, which is 6 numbers long"},
    )

    def __init__(self, *args, label: str = "Code", hint: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].label = label
        self.fields["code"].help_text = hint
