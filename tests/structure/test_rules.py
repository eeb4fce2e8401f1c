"""Pure rules of the management structure: time shares over overlapping periods (with a
hypothesis property against a day-by-day count), women's share, document checks."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from sharaka.structure import rules
from sharaka.structure.rules import Assignment

D = date


def test_overlapping_shares_add_up() -> None:
    a = Assignment(D(2025, 1, 1), D(2025, 12, 31), Decimal(60))
    b = Assignment(D(2025, 6, 1), None, Decimal(50))
    assert rules.peak_share([a, b]) == Decimal(110)
    assert not rules.share_allowed(b, [a])


def test_consecutive_assignments_do_not_overlap() -> None:
    a = Assignment(D(2025, 1, 1), D(2025, 6, 30), Decimal(80))
    b = Assignment(D(2025, 7, 1), None, Decimal(80))
    assert rules.peak_share([a, b]) == Decimal(80)
    assert rules.share_allowed(b, [a])


def test_same_day_end_and_start_overlap() -> None:
    a = Assignment(D(2025, 1, 1), D(2025, 6, 30), Decimal(80))
    b = Assignment(D(2025, 6, 30), None, Decimal(30))
    assert not rules.share_allowed(b, [a])


def test_peak_only_counts_the_candidate_period() -> None:
    """Two others overlapping each other but not the candidate do not count against it."""
    a = Assignment(D(2024, 1, 1), D(2024, 12, 31), Decimal(70))
    b = Assignment(D(2024, 6, 1), D(2024, 12, 31), Decimal(30))
    candidate = Assignment(D(2025, 1, 1), None, Decimal(100))
    assert rules.peak_with(candidate, [a, b]) == Decimal(100)


def test_exactly_full_time_is_allowed() -> None:
    a = Assignment(D(2025, 1, 1), None, Decimal("33.34"))
    b = Assignment(D(2025, 1, 1), None, Decimal("66.66"))
    assert rules.share_allowed(b, [a])
    assert not rules.share_allowed(Assignment(D(2025, 1, 1), None, Decimal("0.01")), [a, b])


BASE = D(2025, 1, 1)
assignments = st.builds(
    lambda start, length, share: Assignment(
        BASE + timedelta(days=start),
        None if length is None else BASE + timedelta(days=start + length),
        Decimal(share),
    ),
    st.integers(0, 60),
    st.none() | st.integers(0, 40),
    st.integers(1, 100),
)


def _brute_peak(items: list[Assignment]) -> Decimal:
    best = Decimal(0)
    for offset in range(0, 120):
        day = BASE + timedelta(days=offset)
        total = sum((a.share for a in items if rules.active_on(a.start, a.end, day)), Decimal(0))
        best = max(best, total)
    return best


@settings(max_examples=200, deadline=None)
@given(st.lists(assignments, max_size=6))
def test_peak_share_matches_a_day_by_day_count(items: list[Assignment]) -> None:
    assert rules.peak_share(items) == _brute_peak(items)


@settings(max_examples=200, deadline=None)
@given(candidate=assignments, others=st.lists(assignments, max_size=5))
def test_peak_with_is_the_peak_during_the_candidate(
    candidate: Assignment, others: list[Assignment]
) -> None:
    expected = Decimal(0)
    for offset in range(0, 120):
        day = BASE + timedelta(days=offset)
        if not rules.active_on(candidate.start, candidate.end, day):
            continue
        total = candidate.share + sum(
            (a.share for a in others if rules.active_on(a.start, a.end, day)), Decimal(0)
        )
        expected = max(expected, total)
    assert rules.peak_with(candidate, others) == expected


def test_gender_share() -> None:
    share = rules.gender_share(["f", "m", "m", "x"], target=Fraction(1, 3))
    assert share.share == Fraction(1, 3) and share.counted == 3 and share.total == 4
    assert not share.below_target
    below = rules.gender_share(["f", "m", "m", "m"], target=Fraction(1, 3))
    assert below.below_target and below.percent == 25
    assert rules.gender_share([], target=Fraction(1, 3)).share is None
