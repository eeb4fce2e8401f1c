"""When a signed-in session started and was last used, kept in the session itself.

``accounts/middleware.py`` ends a session after ``SHARAKA_SESSION_IDLE_MINUTES`` without a
request or ``SHARAKA_SESSION_MAX_HOURS`` after sign-in (``rules.session_end``).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings

from sharaka.accounts import rules

SIGNED_IN_AT = "sharaka_signed_in_at"
LAST_SEEN_AT = "sharaka_last_seen_at"
# The last request is written back to the session at most once a minute: a page and its
# htmx requests do not each write the session (one write each on SQLite).
LAST_SEEN_RESOLUTION = timedelta(minutes=1)


def limits() -> rules.SessionLimits:
    return rules.SessionLimits(
        idle=timedelta(minutes=settings.SHARAKA_SESSION_IDLE_MINUTES),
        lifetime=timedelta(hours=settings.SHARAKA_SESSION_MAX_HOURS),
    )


def _moment(value: Any) -> datetime | None:
    return datetime.fromtimestamp(value, UTC) if isinstance(value, int | float) else None


def mark_sign_in(session: Any, now: datetime) -> None:
    session[SIGNED_IN_AT] = session[LAST_SEEN_AT] = now.timestamp()


def check(session: Any, now: datetime) -> rules.SessionEnd | None:
    """Why this signed-in session is over, or ``None`` after recording this request.

    A session signed in before these marks existed counts from now."""
    signed_in_at, last_seen_at = (
        _moment(session.get(SIGNED_IN_AT)),
        _moment(session.get(LAST_SEEN_AT)),
    )
    if signed_in_at is None or last_seen_at is None:
        mark_sign_in(session, now)
        return None
    end = rules.session_end(
        signed_in_at=signed_in_at, last_seen_at=last_seen_at, now=now, limits=limits()
    )
    if end is None and now - last_seen_at >= LAST_SEEN_RESOLUTION:
        session[LAST_SEEN_AT] = now.timestamp()
    return end
