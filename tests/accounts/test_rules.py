"""Pure rules of accounts: token refusals and session ends (no database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from sharaka.accounts.rules import (
    READ_METHODS,
    SessionEnd,
    SessionLimits,
    TokenRefusal,
    TokenScope,
    session_end,
    token_lifetime_valid,
    token_refusal,
)

METHODS = st.sampled_from(["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE", "get"])
MOMENTS = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2040, 1, 1), timezones=st.just(UTC)
)
DURATIONS = st.timedeltas(min_value=timedelta(seconds=1), max_value=timedelta(days=30))


@given(scope=st.sampled_from(TokenScope), expires_at=MOMENTS, now=MOMENTS, method=METHODS)
def test_a_token_serves_a_request_only_before_it_expires_and_within_its_scope(
    scope: TokenScope, expires_at: datetime, now: datetime, method: str
) -> None:
    refusal = token_refusal(scope=scope, expires_at=expires_at, now=now, method=method)
    if now >= expires_at:
        assert refusal is TokenRefusal.EXPIRED
    elif scope is TokenScope.READ and method.upper() not in READ_METHODS:
        assert refusal is TokenRefusal.READ_ONLY
    else:
        assert refusal is None


@given(expires_at=MOMENTS, now=MOMENTS, method=METHODS)
def test_a_write_token_can_do_all_a_read_token_can(
    expires_at: datetime, now: datetime, method: str
) -> None:
    read = token_refusal(scope=TokenScope.READ, expires_at=expires_at, now=now, method=method)
    write = token_refusal(scope=TokenScope.WRITE, expires_at=expires_at, now=now, method=method)
    if read is None:
        assert write is None


@given(days=st.integers(-1000, 1000), maximum=st.integers(1, 800))
def test_a_token_lifetime_is_one_day_to_the_maximum(days: int, maximum: int) -> None:
    assert token_lifetime_valid(days, maximum=maximum) == (1 <= days <= maximum)


@given(
    signed_in_at=MOMENTS,
    idle_since=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=2)),
    active_for=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=2)),
    idle=DURATIONS,
    lifetime=DURATIONS,
)
def test_a_session_ends_when_idle_too_long_or_too_old(
    signed_in_at: datetime,
    idle_since: timedelta,
    active_for: timedelta,
    idle: timedelta,
    lifetime: timedelta,
) -> None:
    last_seen_at = signed_in_at + active_for
    now = last_seen_at + idle_since
    end = session_end(
        signed_in_at=signed_in_at,
        last_seen_at=last_seen_at,
        now=now,
        limits=SessionLimits(idle=idle, lifetime=lifetime),
    )
    if now - signed_in_at >= lifetime:
        assert end is SessionEnd.LIFETIME
    elif idle_since >= idle:
        assert end is SessionEnd.IDLE
    else:
        assert end is None


@given(signed_in_at=MOMENTS, back=DURATIONS, idle=DURATIONS, lifetime=DURATIONS)
def test_a_clock_going_backwards_never_ends_a_session(
    signed_in_at: datetime, back: timedelta, idle: timedelta, lifetime: timedelta
) -> None:
    limits = SessionLimits(idle=idle, lifetime=lifetime)
    now = signed_in_at - back
    assert (
        session_end(signed_in_at=signed_in_at, last_seen_at=signed_in_at, now=now, limits=limits)
        is None
    )
