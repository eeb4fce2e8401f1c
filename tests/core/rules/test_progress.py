"""``progress``: an indicator against its target (rules-cli.md)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from sharaka.core.rules.progress import Point, progress
from sharaka.core.rules.progress import run as run_progress

EXAMPLE = {
    "direction": "ascending",
    "baseline": {"date": "2025-01-01", "value": "10"},
    "target": {"date": "2027-12-31", "value": "40"},
    "actual": {"date": "2026-06-30", "value": "22"},
    "thresholds": {"on_track": "9/10", "at_risk": "3/5"},
}


def test_contract_example() -> None:
    result = run_progress(EXAMPLE)
    assert result.achieved == Fraction(2, 5)
    assert result.elapsed == Fraction(545, 1094)
    assert result.as_dict() == {"achieved": 0.4, "elapsed": 0.498171846435, "status": "at_risk"}


def test_descending_and_statuses() -> None:
    document = {**EXAMPLE, "direction": "descending",
                "baseline": {"date": "2025-01-01", "value": "40"},
                "target": {"date": "2027-12-31", "value": "10"}}  # fmt: skip
    # 40 -> 10; actual 22 covers 18/30 = 3/5 of the way at about half the time: on track
    assert run_progress(document).status == "on_track"
    at_start = {**document, "actual": {"date": "2025-01-01", "value": "40"}}
    assert run_progress(at_start).status == "not_due"
    done = {**document, "actual": {"date": "2025-01-01", "value": "9"}}
    assert run_progress(done).status == "achieved"
    worse = {**document, "actual": {"date": "2026-06-30", "value": "45"}}
    result = run_progress(worse)
    assert result.achieved < 0 and result.status == "off_track"
    late = {**EXAMPLE, "actual": {"date": "2030-01-01", "value": "39"}}
    assert run_progress(late).elapsed == 1 and run_progress(late).status == "on_track"


RATIO = st.fractions(min_value=-2, max_value=3, max_denominator=50)
THRESHOLD = st.fractions(min_value=0, max_value=2, max_denominator=20)


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 3000), st.integers(0, 4000), RATIO, THRESHOLD, THRESHOLD,
       st.booleans())  # fmt: skip
def test_status_follows_the_thresholds(
    span: int, days: int, achieved: Fraction, a: Fraction, b: Fraction, ascending: bool
) -> None:
    on_track, at_risk = max(a, b), min(a, b)
    start = dt.date(2025, 1, 1)
    base, goal = (Fraction(10), Fraction(40)) if ascending else (Fraction(40), Fraction(10))
    actual = base + achieved * (goal - base)
    result = progress(
        Point(start, base), Point(start + dt.timedelta(days=span), goal),
        Point(start + dt.timedelta(days=days), actual), on_track, at_risk,
    )  # fmt: skip
    elapsed = min(Fraction(1), Fraction(days, span))
    assert result.achieved == achieved and result.elapsed == elapsed
    if achieved >= 1:
        assert result.status == "achieved"
    elif days == 0:
        assert result.status == "not_due"
    elif achieved / elapsed >= on_track:
        assert result.status == "on_track"
    elif achieved / elapsed >= at_risk:
        assert result.status == "at_risk"
    else:
        assert result.status == "off_track"
