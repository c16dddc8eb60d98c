"""Signing in and out, passwords, your account, API tokens, your data."""

from __future__ import annotations

import json
import logging

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from personfirst.core import privacy
from personfirst.core.access.roles import needs_two_factor

from . import forms, throttling, two_factor
from .middleware import verified
from .models import ApiToken

logger = logging.getLogger(__name__)


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    form_class = forms.SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = forms.PasswordChangeForm
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Your password has been changed.")
        return response


class SendAfterResponse(HttpResponseRedirect):
    """A redirect that sends its e-mails once it has been written: WSGI
    servers call a response's close() after sending it (so does Django's
    test client)."""

    def __init__(self, redirect_to: str, outbox) -> None:
        super().__init__(redirect_to)
        self.outbox = list(outbox)

    def close(self) -> None:
        try:
            for message in self.outbox:
                try:
                    message.send()
                except Exception:
                    logger.exception("Could not send a password reset e-mail")
            self.outbox = []
        finally:
            super().close()


class PasswordResetView(auth_views.PasswordResetView):
    """The answer is "check your e-mail" whatever happens: an address with
    or without an account, or one asked for too often (accounts/throttling.py),
    so the page never tells anyone whether an address has an account."""

    template_name = "accounts/password_reset.html"
    form_class = forms.PasswordResetForm
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-sent")

    def form_valid(self, form):
        if not throttling.password_reset_allowed(self.request, form.cleaned_data["email"]):
            return HttpResponseRedirect(self.get_success_url())
        response = super().form_valid(form)  # form.save(): writes the e-mail, sends nothing
        return SendAfterResponse(response.url, form.outbox)


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = forms.SetPasswordForm
    success_url = reverse_lazy("accounts:password-reset-complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = forms.ProfileForm(request.POST if request.method == "POST" else None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your details have been saved.")
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    form = forms.TokenForm(request.POST if request.method == "POST" else None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _token, new_token = ApiToken.issue(
            request.user, form.cleaned_data["name"], scopes=form.cleaned_data["scopes"], days=form.cleaned_data["days"]
        )
        form = forms.TokenForm()
    context = {
        "form": form,
        "new_token": new_token,
        "tokens": ApiToken.objects.filter(user=request.user),
    }
    return render(request, "accounts/tokens.html", context)


@login_required
@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    # Only your own tokens can be found: someone else's is "not found".
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    token.revoke()
    messages.success(request, f"The token ‘{token.name}’ has been revoked. Scripts using it will stop working.")
    return redirect("accounts:tokens")


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/my_data.html")


@login_required
def download_my_data(request: HttpRequest) -> HttpResponse:
    data = privacy.export(request.user)
    response = HttpResponse(json.dumps(data, indent=2), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="personfirst-my-data.json"'
    return response


# -- Two-factor sign-in (two_factor.py) ------------------------------------------


def _next(request: HttpRequest) -> str:
    """Where to go once a code is entered: the page asked for, if it is ours."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return wanted
    return reverse("pages:dashboard")


def _verified(request: HttpRequest, device) -> None:
    request.session.cycle_key()  # a new session key once the second factor is in
    otp_login(request, device)


@login_required
def two_factor_page(request: HttpRequest) -> HttpResponse:
    context = {
        "is_set_up": two_factor.is_set_up(request.user),
        "required": needs_two_factor(request.user),
        "codes_left": two_factor.recovery_codes_left(request.user),
    }
    return render(request, "accounts/two_factor.html", context)


@login_required
def two_factor_set_up(request: HttpRequest) -> HttpResponse:
    user = request.user
    if two_factor.is_set_up(user):
        return redirect("accounts:two-factor" if verified(user) else "accounts:two-factor-code")
    device = two_factor.pending_authenticator(user)
    form = forms.TwoFactorCodeForm(
        request.POST if request.method == "POST" else None,
        label="Code from your authenticator app",
        hint="The 6 numbers your app shows for PersonFirst.",
    )
    if request.method == "POST" and form.is_valid():
        if two_factor.confirm(device, form.cleaned_data["code"]):
            _verified(request, device)
            codes = two_factor.new_recovery_codes(user)
            return render(request, "accounts/two_factor_recovery_codes.html", {"codes": codes, "next": _next(request)})
        form.add_error(
            "code", "That code is not right. Check the time on your phone is right, and enter the newest code"
        )
    context = {
        "form": form,
        "qr": two_factor.qr_svg(device),
        "secret": two_factor.secret(device),
        "next": request.GET.get("next", ""),
        "required": needs_two_factor(user),
    }
    return render(request, "accounts/two_factor_set_up.html", context)


@login_required
def two_factor_code(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not two_factor.is_set_up(user):
        return redirect("accounts:two-factor-set-up")
    if verified(user):
        return HttpResponseRedirect(_next(request))
    form = forms.TwoFactorCodeForm(
        request.POST if request.method == "POST" else None,
        label="Code",
        hint="The 6 numbers your authenticator app shows, or one of your recovery codes.",
    )
    if request.method == "POST" and form.is_valid():
        attempt = two_factor.check(user, form.cleaned_data["code"])
        if attempt.device is not None:
            _verified(request, attempt.device)
            return HttpResponseRedirect(_next(request))
        if attempt.locked_until is not None:
            logout(request)
            return render(request, "accounts/two_factor_locked.html", {"cooloff": two_factor.cooloff()})
        form.add_error("code", "That code is not right. Enter the newest code from your app, or a recovery code")
    return render(request, "accounts/two_factor_code.html", {"form": form, "next": request.GET.get("next", "")})


@login_required
@require_POST
def two_factor_recovery_codes(request: HttpRequest) -> HttpResponse:
    if not two_factor.is_set_up(request.user):
        return redirect("accounts:two-factor-set-up")
    codes = two_factor.new_recovery_codes(request.user)
    return render(
        request, "accounts/two_factor_recovery_codes.html", {"codes": codes, "next": reverse("accounts:two-factor")}
    )


@login_required
@require_POST
def two_factor_turn_off(request: HttpRequest) -> HttpResponse:
    if needs_two_factor(request.user):
        raise PermissionDenied("Your roles need two-factor sign-in.")
    two_factor.turn_off(request.user)
    messages.success(request, "Two-factor sign-in is off. You will sign in with your password only.")
    return redirect("accounts:two-factor")
