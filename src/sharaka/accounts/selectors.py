"""Account reads: what the profile page shows, one's own API tokens."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django_otp.plugins.otp_totp.models import TOTPDevice

from sharaka.accounts import services
from sharaka.accounts.models import ApiToken
from sharaka.core.access import second_factor_required
from sharaka.core.querysets import found


@dataclass(frozen=True)
class SecondFactor:
    required: bool
    device: TOTPDevice | None


@dataclass(frozen=True)
class ProfileView:
    """The profile page: one's tokens still in use, partnership grants, second factor."""

    tokens: list[ApiToken]
    grants: list[Any]  # partnerships.PartnershipRole, read through the user's reverse relation
    second_factor: SecondFactor


def profile_view_get(*, user: Any) -> ProfileView:
    return ProfileView(
        tokens=list(user.api_tokens.filter(revoked=False).order_by("-created_at")),
        grants=list(user.partnership_roles.select_related("partnership")),
        second_factor=SecondFactor(
            required=second_factor_required(user), device=services.totp_device_get(user=user)
        ),
    )


def api_token_get(*, user: Any, pk: int) -> ApiToken:
    """One of ``user``'s own tokens still in use (404 for anyone else's)."""
    return found(ApiToken.objects.filter(pk=pk, user=user, revoked=False).first())
