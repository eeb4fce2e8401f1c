"""Pure rules of accounts: token refusals and lifetimes (no database)."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from sharaka.accounts.rules import (
    READ_METHODS,
    TokenRefusal,
    TokenScope,
    token_lifetime_valid,
    token_refusal,
)

METHODS = st.sampled_from(["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE", "get"])
MOMENTS = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2040, 1, 1), timezones=st.just(UTC)
)


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
