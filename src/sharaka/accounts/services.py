from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from sharaka.accounts.models import ApiToken
from sharaka.core.errors import AccessDenied, ValidationFailed

TOTP_DEVICE_NAME = "Sharaka"


@transaction.atomic
def api_token_issue(*, user: Any, name: str) -> tuple[ApiToken, str]:
    """Create a token for ``user``; the raw key is returned once and never stored."""
    return ApiToken.issue(user=user, name=name)


@transaction.atomic
def api_token_revoke(*, user: Any, token: ApiToken) -> None:
    if token.user_id != user.pk:
        raise AccessDenied()
    token.revoked = True
    token.save(update_fields=["revoked"])


# --- Second factor (TOTP) ---------------------------------------------------------------


def second_factor_confirmed(user: Any) -> bool:
    """Has this session's user confirmed a code? (Set by django-otp's ``OTPMiddleware``.)"""
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified()) if callable(is_verified) else False


def totp_device_get(*, user: Any) -> TOTPDevice | None:
    """The user's confirmed authenticator, if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


@transaction.atomic
def totp_device_start(*, user: Any) -> TOTPDevice:
    """The authenticator being set up: a new secret key, kept until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def _check(device: TOTPDevice, token: str) -> None:
    allowed, details = device.verify_is_allowed()
    if not allowed:
        locked_until = (details or {}).get("locked_until")
        seconds = (
            max(1, int((locked_until - timezone.now()).total_seconds()) + 1) if locked_until else 1
        )
        raise ValidationFailed(
            _("Trop d'essais."),
            {"token": [_("Trop d'essais : attendez %(n)s s avant de réessayer.") % {"n": seconds}]},
        )
    if not device.verify_token(token):
        raise ValidationFailed(
            _("Code incorrect."),
            {"token": [_("Code incorrect ou expiré : saisissez le code affiché maintenant.")]},
        )


def totp_confirm(*, user: Any, token: str) -> TOTPDevice:
    """Confirm the authenticator being set up with a first code; older ones are removed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        raise ValidationFailed(
            _("Aucune configuration en cours."),
            {"token": [_("Recommencez la configuration : aucune clé n'est en attente.")]},
        )
    _check(device, token)  # a wrong code is counted (throttling) even though nothing else is
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    return device


def totp_verify(*, user: Any, token: str) -> TOTPDevice:
    """The user's authenticator, if ``token`` is its current code (throttled on failure)."""
    device = totp_device_get(user=user)
    if device is None:
        raise ValidationFailed(
            _("Aucun authentificateur."),
            {"token": [_("Aucune application d'authentification n'est configurée.")]},
        )
    _check(device, token)
    return device
