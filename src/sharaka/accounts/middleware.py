"""Session lifetime, then the second factor.

``SessionLifetimeMiddleware`` signs a user out after ``SHARAKA_SESSION_IDLE_MINUTES`` without
a request or ``SHARAKA_SESSION_MAX_HOURS`` after sign-in, and sends them to the sign-in page
with a message saying why.

``SecondFactorMiddleware``: administrators and treasurers confirm a TOTP code after their
password (DESIGN.md).

Runs after django-otp's ``OTPMiddleware`` (which tells whether this session's user confirmed
a code) and sends a signed-in user who must and did not to the page that asks for the code,
or to the page that sets up an authenticator when they have none yet. Only those pages,
signing out and the language switch stay open; the JSON API is not concerned (it signs in
with tokens, which are issued on the profile page, behind this check).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from sharaka.accounts import rules, services, sessions
from sharaka.core.access import second_factor_required


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _redirect(request: HttpRequest, target: str) -> HttpResponse:
    if _is_htmx(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = target
        return response
    return redirect(target)


class SessionLifetimeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            end = sessions.check(request.session, timezone.now())
            if end is not None:
                return self._end(request, end)
        return self.get_response(request)

    def _end(self, request: HttpRequest, end: rules.SessionEnd) -> HttpResponse:
        logout(request)
        limits = sessions.limits()
        if end is rules.SessionEnd.IDLE:
            minutes = int(limits.idle.total_seconds() // 60)
            text = ngettext(
                "Votre session a expiré après %(n)s minute sans activité : reconnectez-vous.",
                "Votre session a expiré après %(n)s minutes sans activité : reconnectez-vous.",
                minutes,
            ) % {"n": minutes}
        else:
            hours = int(limits.lifetime.total_seconds() // 3600)
            text = ngettext(
                "Une session dure au plus %(n)s heure : reconnectez-vous.",
                "Une session dure au plus %(n)s heures : reconnectez-vous.",
                hours,
            ) % {"n": hours}
        messages.info(request, text)
        target = reverse("accounts:login")
        if request.method == "GET" and not _is_htmx(request):  # a fragment is no place to land
            target += "?" + urlencode({"next": request.get_full_path()})
        return _redirect(request, target)


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    @cached_property
    def open_paths(self) -> tuple[str, ...]:
        return (
            reverse("accounts:second_factor"),
            reverse("accounts:second_factor_setup"),
            reverse("accounts:logout"),
            reverse("set_language"),
            "/api/",
            "/static/",
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not services.second_factor_confirmed(user)
            and not request.path.startswith(self.open_paths)
            and second_factor_required(user)
        ):
            return self._ask_for_code(request)
        return self.get_response(request)

    def _ask_for_code(self, request: HttpRequest) -> HttpResponse:
        has_device = services.totp_device_get(user=request.user) is not None
        page = "accounts:second_factor" if has_device else "accounts:second_factor_setup"
        target = reverse(page)
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        if getattr(request, "htmx", False):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return redirect(target)
