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
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice

from sharaka.accounts import selectors, services
from sharaka.accounts.forms import ApiTokenForm, ThrottledPasswordResetForm, TotpForm
from sharaka.accounts.models import ApiToken
from sharaka.core.access import second_factor_required
from sharaka.core.htmx import HtmxHttpRequest
from sharaka.core.pages import Attempt, Frame, confirm_page, form_page, submit_form

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
        ip_address = get_client_ip_address(self.request) or "unknown"
        counted = submit_form(
            form, lambda _data: services.password_reset_throttle(ip_address=ip_address)
        )
        if not counted.saved:
            response = self.form_invalid(form)
            response.status_code = counted.status
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


def _next_url(request: HtmxHttpRequest) -> str:
    """Where to go once the code is confirmed: ``next`` when it stays on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("partnerships:home")


def _with_next(page: str, target: str) -> str:
    return f"{reverse(page)}?{urlencode({'next': target})}"


def _sign_in(request: HtmxHttpRequest, device: TOTPDevice) -> TOTPDevice:
    """Mark the session as having confirmed a code with ``device``."""
    django_otp.login(request, device)
    return device


@login_required
def second_factor(request: HtmxHttpRequest) -> HttpResponse:
    """Ask for the current code of the user's authenticator (after the password)."""
    if services.totp_device_get(user=request.user) is None:
        return redirect(_with_next("accounts:second_factor_setup", _next_url(request)))
    return form_page(
        request, TotpForm(request.POST or None),
        save=lambda data: _sign_in(
            request, services.totp_verify(user=request.user, token=data["token"])),
        success="", done=_next_url(request), frame=Frame(),
        title=_("Double authentification"), template="accounts/pages/second_factor.html",
        extra={"next": _next_url(request)},
    )  # fmt: skip


def _qr_svg(device: TOTPDevice) -> SafeString:
    """The ``otpauth://`` address as an inline SVG QR code (generated here, no script)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    svg = image.to_string(encoding="unicode")
    return mark_safe(svg)  # noqa: S308 - built by qrcode from our own data, no user markup


def _grouped_key(device: TOTPDevice) -> str:
    """The secret key in base 32, by groups of four (to type it by hand)."""
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def _setup_detour(request: HtmxHttpRequest) -> HttpResponse | None:
    """Where the setup page sends a user who has nothing to set up now, if anywhere."""
    confirmed = services.second_factor_confirmed(request.user)
    if not second_factor_required(request.user) and not confirmed:
        messages.info(request, _("La double authentification n'est pas demandée pour votre rôle."))
        return redirect("accounts:profile")
    if services.totp_device_get(user=request.user) and not confirmed:
        # replacing an authenticator needs the current one first
        return redirect(_with_next("accounts:second_factor", request.get_full_path()))
    return None


@login_required
def second_factor_setup(request: HtmxHttpRequest) -> HttpResponse:
    """Set up an authenticator app: show the secret key, confirm it with a first code."""
    detour = _setup_detour(request)
    if detour is not None:
        return detour
    device = services.totp_device_start(user=request.user)
    return form_page(
        request, TotpForm(request.POST or None),
        save=lambda data: _sign_in(
            request, services.totp_confirm(user=request.user, token=data["token"])),
        success=_("Double authentification activée."), done=_next_url(request), frame=Frame(),
        title=_("Configurer la double authentification"),
        template="accounts/pages/second_factor_setup.html",
        extra={"next": _next_url(request), "key": _grouped_key(device), "qr": _qr_svg(device)},
    )  # fmt: skip


@login_required
def profile(request: HtmxHttpRequest) -> HttpResponse:
    """One's account, roles and API tokens; a new token's key is shown here, once (it is
    never stored, so the page answers the form itself rather than redirecting)."""
    form = ApiTokenForm(request.POST or None)
    issued: Attempt[tuple[ApiToken, str]] = Attempt(saved=False)
    if request.method == "POST":
        issued = submit_form(
            form, lambda data: services.api_token_issue(
                user=request.user, name=data["name"], scope=data["scope"], days=data["days"]),
        )  # fmt: skip
    context = {
        "form": ApiTokenForm() if issued.saved else form,
        "new_key": issued.result[1] if issued.result else None,
        "view": selectors.profile_view_get(user=request.user),
    }
    return render(request, "accounts/pages/profile.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Revoke one of one's own tokens, after a confirmation page (GET asks, POST revokes)."""
    token = selectors.api_token_get(user=request.user, pk=pk)
    back = reverse("accounts:profile")
    return confirm_page(
        request, act=lambda _data: services.api_token_revoke(user=request.user, token=token),
        success=_("Jeton révoqué."), done=back, cancel=back, frame=Frame(),
        title=_("Révoquer un jeton"), confirm_label=_("Révoquer"),
        question=_("Révoquer le jeton « %(name)s » (%(prefix)s…) ? Les scripts qui "
                   "l'utilisent ne pourront plus accéder à l'API ; cela ne peut pas être annulé.")
        % {"name": token.name, "prefix": token.prefix},
    )  # fmt: skip
