"""Pure rules of the accounts app: token scopes and lifetimes, session lifetimes.

No Django import: the services and the middleware map their data to these values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class TokenScope(StrEnum):
    """What an API token may do: ``read`` only looks (GET, HEAD, OPTIONS); ``write`` may
    also change data, within the rights of the user it belongs to."""

    READ = "read"
    WRITE = "write"


READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class TokenRefusal(StrEnum):
    EXPIRED = "expired"
    READ_ONLY = "read_only"


def token_refusal(
    *, scope: TokenScope, expires_at: datetime, now: datetime, method: str
) -> TokenRefusal | None:
    """Why a known, unrevoked token may not serve this request, or ``None`` when it may."""
    if now >= expires_at:
        return TokenRefusal.EXPIRED
    if scope is not TokenScope.WRITE and method.upper() not in READ_METHODS:
        return TokenRefusal.READ_ONLY
    return None


def token_lifetime_valid(days: int, *, maximum: int) -> bool:
    """A new token lives at least one day and at most ``maximum`` days."""
    return 1 <= days <= maximum


class SessionEnd(StrEnum):
    IDLE = "idle"
    LIFETIME = "lifetime"


@dataclass(frozen=True)
class SessionLimits:
    idle: timedelta
    lifetime: timedelta


def session_end(
    *, signed_in_at: datetime, last_seen_at: datetime, now: datetime, limits: SessionLimits
) -> SessionEnd | None:
    """Why a signed-in session has ended by now, or ``None`` while it is still open.

    The lifetime counts from sign-in whatever the activity; the idle timeout from the last
    request. A clock that went backwards (``now`` before either) never ends a session early.
    """
    if now - signed_in_at >= limits.lifetime:
        return SessionEnd.LIFETIME
    if now - last_seen_at >= limits.idle:
        return SessionEnd.IDLE
    return None
