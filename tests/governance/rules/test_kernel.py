"""The compiled swing kernel (ADR 0007) against the pure-Python reference, and its parts."""

from __future__ import annotations

import importlib
import random
from array import array
from math import prod
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sharaka.governance.rules import kernel
from sharaka.governance.rules.power import window_counts

pytestmark = pytest.mark.skipif(
    not kernel.AVAILABLE, reason="the package was built without its compiled kernel"
)


def _swings() -> Any:
    """The compiled module itself (untyped: a C extension)."""
    return importlib.import_module("sharaka.governance.rules._swings")


# ------------------------------------------------------------------ same counts, exactly


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.integers(min_value=1, max_value=100), min_size=1, max_size=45),
    st.data(),
)
def test_kernel_equals_reference(weights: list[int], data: st.DataObject) -> None:
    quota = data.draw(st.integers(min_value=1, max_value=sum(weights) + 3))
    assert kernel.window_counts(weights, quota) == window_counts(weights, quota)


@pytest.mark.parametrize(
    ("weights", "quota"),
    [
        ([1], 1),  # a single player: a dictator
        ([5], 3),  # heavier than the quota
        ([1, 1], 2),
        ([3, 3, 3, 3], 7),  # one class only
        ([100, 1, 1, 1], 101),  # the heavy player is a veto player
        ([7] * 30, 1),  # quota 1: every player is pivotal only alone
    ],
)
def test_kernel_edge_cases(weights: list[int], quota: int) -> None:
    assert kernel.window_counts(weights, quota) == window_counts(weights, quota)


def test_kernel_counts_beyond_one_hundred_bits() -> None:
    # 150 players: counts up to ~2^146, rebuilt from six primes
    rnd = random.Random(150)
    weights = [rnd.randint(1, 100) for _ in range(150)]
    quota = sum(weights) // 2 + 1
    counts = kernel.window_counts(weights, quota)
    assert counts == window_counts(weights, quota)
    assert max(max(c) for c in counts.values()).bit_length() > 100


# ------------------------------------------------------------------------------ primes


@settings(max_examples=300)
@given(st.integers(min_value=0, max_value=200_000))
def test_is_prime_matches_trial_division(n: int) -> None:
    assert kernel.is_prime(n) == (n >= 2 and all(n % d for d in range(2, int(n**0.5) + 1)))


def test_large_prime_checks() -> None:
    # 2^31 - 1 is a Mersenne prime; 2^29 + 1 = 3 x 178956971; a Carmichael number
    assert kernel.is_prime(2**31 - 1)
    assert not kernel.is_prime(2**29 + 1)
    assert not kernel.is_prime(561)
    assert not kernel.is_prime(1_000_000_007 * 3)


@pytest.mark.parametrize("players", [0, 1, 28, 29, 400, 2000])
def test_enough_primes_for_every_count(players: int) -> None:
    moduli = kernel.primes_for(players)
    assert len(set(moduli)) == len(moduli)
    assert all(2**29 < p < 2**30 and kernel.is_prime(p) for p in moduli)
    assert prod(moduli) > 2**players  # a count of coalitions never exceeds 2^players


# --------------------------------------------------------- the Chinese remainder theorem


@settings(max_examples=100)
@given(st.integers(min_value=1, max_value=12), st.data())
def test_combine_rebuilds_every_value(count: int, data: st.DataObject) -> None:
    moduli = kernel.primes(count)
    modulus = prod(moduli)
    values = data.draw(st.lists(st.integers(min_value=0, max_value=modulus - 1), max_size=20))
    residues = array("I", [v % p for p in moduli for v in values]).tobytes()
    out = _swings().combine(residues, array("I", moduli).tobytes())
    width = 4 * count
    assert [
        int.from_bytes(out[i * width : (i + 1) * width], "little") for i in range(len(values))
    ] == values


# ------------------------------------------------------------ the C code checks its input


def _q(*values: int) -> bytes:
    return array("q", values).tobytes()


@pytest.mark.parametrize(
    ("weights", "quota", "primes", "message"),
    [
        (_q(1, 2), 10, kernel.primes(1), "malformed"),  # lightest first
        (_q(10), 10, kernel.primes(1), "malformed"),  # not below the quota
        (_q(0), 10, kernel.primes(1), "malformed"),  # zero weight
        (b"\x01\x02\x03", 10, kernel.primes(1), "malformed"),  # not int64
        (_q(3), 0, kernel.primes(1), "malformed"),  # quota below 1
        (_q(3), 10, (7,), "primes must lie"),
    ],
)
def test_residues_refuses_malformed_arguments(
    weights: bytes, quota: int, primes: tuple[int, ...], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        _swings().residues(weights, quota, _q(3), 2, array("I", primes).tobytes())


def test_combine_refuses_malformed_arguments() -> None:
    with pytest.raises(ValueError, match="malformed"):
        _swings().combine(b"\x00" * 12, array("I", kernel.primes(2)).tobytes())
    with pytest.raises(ValueError, match="malformed"):
        _swings().combine(b"", b"")
