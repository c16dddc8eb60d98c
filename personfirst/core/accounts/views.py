"""Signing in and out, passwords, your account, API tokens, your data."""

from __future__ import annotations

import json
import logging

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from personfirst.core import privacy

from . import forms, throttling
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
        _token, new_token = ApiToken.issue(request.user, form.cleaned_data["name"])
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
