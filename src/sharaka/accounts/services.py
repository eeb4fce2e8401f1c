from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from sharaka.accounts import rules
from sharaka.accounts.error_codes import AccountsErrorCode
from sharaka.accounts.models import ApiToken, ApiTokenScope
from sharaka.core.access import signed_in
from sharaka.core.errors import AccessDenied, DomainError, ValidationFailed
from sharaka.core.types import Actor, SignedIn

TOTP_DEVICE_NAME = "Sharaka"


# --- API tokens -------------------------------------------------------------------------


class TokenRefused(DomainError):
    """The API refuses a request because of its token (401: sign in again; 403: scope)."""

    def __init__(self, code: AccountsErrorCode, message: str, *, status: int) -> None:
        super().__init__(code, message)
        self.status = status


@transaction.atomic
def api_token_issue(
    *, user: Actor, name: str, scope: str, days: int | None = None
) -> tuple[ApiToken, str]:
    """Create a token for ``user``; the raw key is returned once and never stored.

    ``days`` (default ``SHARAKA_API_TOKEN_DAYS``) may not exceed ``SHARAKA_API_TOKEN_MAX_DAYS``.
    """
    account = signed_in(user)
    if not account.is_active:
        raise AccessDenied()
    if scope not in ApiTokenScope.values:
        raise DomainError(
            AccountsErrorCode.TOKEN_SCOPE,
            _("Portée inconnue : choisissez lecture seule ou lecture et écriture."),
            field="scope",
        )
    lifetime = settings.SHARAKA_API_TOKEN_DAYS if days is None else days
    maximum = settings.SHARAKA_API_TOKEN_MAX_DAYS
    if not rules.token_lifetime_valid(lifetime, maximum=maximum):
        raise DomainError(
            AccountsErrorCode.TOKEN_LIFETIME,
            _("Un jeton vit de 1 à %(max)s jours.") % {"max": maximum},
            field="days",
        )
    return ApiToken.issue(user=account, name=name, scope=scope, days=lifetime)


@transaction.atomic
def api_token_revoke(*, user: Actor, token: ApiToken) -> None:
    if token.user_id != user.pk:
        raise AccessDenied()
    token.revoked = True
    token.save(update_fields=["revoked"])


@transaction.atomic
def api_tokens_revoke_all(*, user: SignedIn) -> int:
    """Revoke every token of ``user`` (their password changed); the number revoked."""
    return ApiToken.objects.filter(user=user, revoked=False).update(revoked=True)


def api_token_authenticate(*, raw: str, method: str) -> SignedIn:
    """The user a request with this bearer key acts as, or ``TokenRefused``.

    Unknown, revoked or inactive-owner keys are 401 without more detail; an expired key is a
    401 that says so; a read-only key is 403 on anything but GET, HEAD and OPTIONS.
    """
    token = ApiToken.find(raw)
    if token is None:
        raise TokenRefused(
            AccountsErrorCode.TOKEN_INVALID,
            _("Jeton d'API absent, invalide ou révoqué."),
            status=401,
        )
    now = timezone.now()
    refusal = rules.token_refusal(
        scope=rules.TokenScope(token.scope), expires_at=token.expires_at, now=now, method=method
    )
    if refusal is rules.TokenRefusal.EXPIRED:
        when = formats.date_format(timezone.localtime(token.expires_at), "SHORT_DATETIME_FORMAT")
        raise TokenRefused(
            AccountsErrorCode.TOKEN_EXPIRED,
            _("Ce jeton d'API a expiré le %(date)s : créez-en un autre sur votre profil.")
            % {"date": when},
            status=401,
        )
    if refusal is rules.TokenRefusal.READ_ONLY:
        raise TokenRefused(
            AccountsErrorCode.TOKEN_READ_ONLY,
            _("Ce jeton d'API est en lecture seule : il ne peut rien modifier."),
            status=403,
        )
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


# --- Password reset throttling ---------------------------------------------------------

RESET_WINDOW_SECONDS = 3600


class ResetThrottled(DomainError):
    status = 429


def _count(kind: str, value: str) -> int:
    """Add one to this hour's counter of ``kind``/``value`` in the cache; the new count.

    The window is fixed: it starts with the first request and lasts an hour. The key holds a
    digest, never the address or the account itself."""
    digest = hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()[:32]
    key = f"sharaka:password-reset:{kind}:{digest}"
    cache.add(key, 0, timeout=RESET_WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=RESET_WINDOW_SECONDS)
        return 1


def password_reset_throttle(*, ip_address: str) -> None:
    """Count a password-reset request from ``ip_address``; ``ResetThrottled`` beyond
    ``SHARAKA_PASSWORD_RESET_PER_IP`` an hour. Says nothing about any account."""
    if _count("ip", ip_address) > settings.SHARAKA_PASSWORD_RESET_PER_IP:
        raise ResetThrottled(
            AccountsErrorCode.PASSWORD_RESET_THROTTLED,
            _(
                "Trop de demandes de réinitialisation depuis votre adresse : "
                "réessayez dans une heure."
            ),
        )


def password_reset_account_allowed(*, user: SignedIn) -> bool:
    """Count a reset e-mail to ``user``; ``False`` beyond ``SHARAKA_PASSWORD_RESET_PER_ACCOUNT``
    an hour (the page then says the same as when an e-mail is sent: nothing leaks)."""
    return _count("account", str(user.pk)) <= settings.SHARAKA_PASSWORD_RESET_PER_ACCOUNT


# --- Second factor (TOTP) ---------------------------------------------------------------


def second_factor_confirmed(user: Actor) -> bool:
    """Has this session's user confirmed a code? (Set by django-otp's ``OTPMiddleware``.)"""
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified()) if callable(is_verified) else False


def totp_device_get(*, user: Actor) -> TOTPDevice | None:
    """The user's confirmed authenticator, if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


@transaction.atomic
def totp_device_start(*, user: Actor) -> TOTPDevice:
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


def totp_confirm(*, user: Actor, token: str) -> TOTPDevice:
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


def totp_verify(*, user: Actor, token: str) -> TOTPDevice:
    """The user's authenticator, if ``token`` is its current code (throttled on failure)."""
    device = totp_device_get(user=user)
    if device is None:
        raise ValidationFailed(
            _("Aucun authentificateur."),
            {"token": [_("Aucune application d'authentification n'est configurée.")]},
        )
    _check(device, token)
    return device
