"""Sign-in, sign-out, passwords, profile and API tokens."""

from __future__ import annotations

from base64 import b32encode
from typing import Any
from urllib.parse import urlencode

import django_otp
import qrcode
import qrcode.image.svg
from axes.helpers import get_client_ip_address
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from sharaka.accounts import services
from sharaka.accounts.forms import ApiTokenForm, ThrottledPasswordResetForm, TotpForm
from sharaka.accounts.models import ApiToken
from sharaka.core.access import roles_for, second_factor_required
from sharaka.core.errors import DomainError, ValidationFailed
from sharaka.core.forms import apply_domain_error

login = auth_views.LoginView.as_view(
    template_name="accounts/pages/login.html", redirect_authenticated_user=True
)
logout = auth_views.LogoutView.as_view()
password_change = auth_views.PasswordChangeView.as_view(
    template_name="accounts/pages/password_change.html",
    success_url=reverse_lazy("accounts:password_change_done"),
)
password_change_done = auth_views.PasswordChangeDoneView.as_view(
    template_name="accounts/pages/message.html",
    extra_context={"message_key": "password_changed"},
)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset page, throttled per IP address (429 beyond the limit) and per account
    (``ThrottledPasswordResetForm``); neither says whether an account has that address."""

    form_class = ThrottledPasswordResetForm
    template_name = "accounts/pages/password_reset.html"
    email_template_name = "accounts/emails/password_reset.txt"
    subject_template_name = "accounts/emails/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            ip_address = get_client_ip_address(self.request) or "unknown"
            services.password_reset_throttle(ip_address=ip_address)
        except DomainError as error:
            apply_domain_error(form, error)
            response = self.form_invalid(form)
            response.status_code = error.status
            return response
        return super().form_valid(form)


password_reset = PasswordResetView.as_view()
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/pages/message.html",
    extra_context={"message_key": "reset_sent"},
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/pages/password_reset_confirm.html",
    success_url=reverse_lazy("accounts:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/pages/message.html",
    extra_context={"message_key": "reset_complete"},
)


def _next_url(request: HttpRequest) -> str:
    """Where to go once the code is confirmed: ``next`` when it stays on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("core:home")


def _with_next(page: str, target: str) -> str:
    return f"{reverse(page)}?{urlencode({'next': target})}"


@login_required
def second_factor(request: HttpRequest) -> HttpResponse:
    """Ask for the current code of the user's authenticator (after the password)."""
    if services.totp_device_get(user=request.user) is None:
        return redirect(_with_next("accounts:second_factor_setup", _next_url(request)))
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.totp_verify(user=request.user, token=form.cleaned_data["token"])
        except ValidationFailed as error:
            apply_domain_error(form, error)
        else:
            django_otp.login(request, device)
            return redirect(_next_url(request))
    return render(
        request, "accounts/pages/second_factor.html", {"form": form, "next": _next_url(request)}
    )


def _qr_svg(device: TOTPDevice) -> SafeString:
    """The ``otpauth://`` address as an inline SVG QR code (generated here, no script)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    svg = image.to_string(encoding="unicode")
    return mark_safe(svg)  # noqa: S308 - built by qrcode from our own data, no user markup


@login_required
def second_factor_setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: show the secret key, confirm it with a first code."""
    confirmed = services.second_factor_confirmed(request.user)
    if not second_factor_required(request.user) and not confirmed:
        messages.info(request, _("La double authentification n'est pas demandée pour votre rôle."))
        return redirect("accounts:profile")
    if services.totp_device_get(user=request.user) and not confirmed:
        # replacing an authenticator needs the current one first
        return redirect(_with_next("accounts:second_factor", request.get_full_path()))
    device = services.totp_device_start(user=request.user)
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.totp_confirm(user=request.user, token=form.cleaned_data["token"])
        except ValidationFailed as error:
            apply_domain_error(form, error)
        else:
            django_otp.login(request, device)
            messages.success(request, _("Double authentification activée."))
            return redirect(_next_url(request))
    key = b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/pages/second_factor_setup.html",
        {
            "form": form,
            "next": _next_url(request),
            "key": " ".join(key[i : i + 4] for i in range(0, len(key), 4)),
            "qr": _qr_svg(device),
        },
    )


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_key = services.api_token_issue(
                user=request.user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                days=form.cleaned_data["days"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            form = ApiTokenForm()
    return render(
        request,
        "accounts/pages/profile.html",
        {
            "form": form,
            "new_key": new_key,
            "tokens": request.user.api_tokens.filter(revoked=False).order_by("-created_at"),  # type: ignore[union-attr]
            "roles": sorted(roles_for(request.user)),
            "grants": request.user.partnership_roles.select_related("partnership"),  # type: ignore[union-attr]
            "second_factor": {
                "required": second_factor_required(request.user),
                "device": services.totp_device_get(user=request.user),
            },
        },
    )


@login_required
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of one's own tokens, after a confirmation page (GET asks, POST revokes)."""
    token = get_object_or_404(ApiToken, pk=pk, user=request.user, revoked=False)
    if request.method == "POST":
        services.api_token_revoke(user=request.user, token=token)
        messages.success(request, _("Jeton révoqué."))
        return redirect("accounts:profile")
    return render(request, "accounts/pages/token_revoke_confirm.html", {"token": token})
