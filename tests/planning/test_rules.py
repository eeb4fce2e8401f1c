"""Pure rules of the action plan (no database)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from sharaka.planning import rules
from sharaka.planning.rules import DeadlineState


def test_code_format() -> None:
    for code in ("A1", "A1.2", "B3.1.4", "AX12.3"):
        assert rules.code_valid(code)
    for code in ("", "1.2", "A", "A1.", "a1.2", "A1..2", "A 1"):
        assert not rules.code_valid(code)


def test_codes_sort_as_numbers() -> None:
    codes = ["A1.10", "A2", "A1.2", "A1.1", "B1"]
    assert sorted(codes, key=rules.code_sort_key) == ["A1.1", "A1.2", "A1.10", "A2", "B1"]


def test_within_period() -> None:
    start, end = date(2025, 1, 1), date(2027, 12, 31)
    assert rules.within(start, end, start, end)
    assert not rules.within(date(2024, 12, 31), end, start, end)
    assert not rules.within(start, date(2028, 1, 1), start, end)
    assert not rules.within(date(2025, 6, 1), date(2025, 5, 1), start, end)  # unordered


def test_plan_years() -> None:
    assert rules.plan_years(date(2025, 4, 1), date(2027, 3, 31)) == [2025, 2026, 2027]


def test_deadline_states() -> None:
    entry = date(2025, 1, 1)
    today = date(2025, 6, 1)
    assert (
        rules.adoption_deadline(
            entry_into_force=None, days=90, first_adopted_on=None, today=today
        ).state
        is DeadlineState.NOT_APPLICABLE
    )
    assert (
        rules.adoption_deadline(
            entry_into_force=entry, days=None, first_adopted_on=None, today=today
        ).state
        is DeadlineState.NOT_APPLICABLE
    )
    missed = rules.adoption_deadline(
        entry_into_force=entry, days=90, first_adopted_on=None, today=today
    )
    assert missed.state is DeadlineState.MISSED and missed.flagged
    assert missed.deadline == date(2025, 4, 1)
    pending = rules.adoption_deadline(
        entry_into_force=entry, days=90, first_adopted_on=None, today=date(2025, 4, 1)
    )
    assert pending.state is DeadlineState.PENDING and not pending.flagged
    met = rules.adoption_deadline(
        entry_into_force=entry, days=90, first_adopted_on=date(2025, 4, 1), today=today
    )
    assert met.state is DeadlineState.MET
    late = rules.adoption_deadline(
        entry_into_force=entry, days=90, first_adopted_on=date(2025, 4, 2), today=today
    )
    assert late.state is DeadlineState.LATE and late.flagged


days = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))


@given(entry=days, limit=st.integers(0, 400), adopted=st.none() | days, today=days)
def test_deadline_flagged_iff_late(
    entry: date, limit: int, adopted: date | None, today: date
) -> None:
    result = rules.adoption_deadline(
        entry_into_force=entry, days=limit, first_adopted_on=adopted, today=today
    )
    deadline = entry + timedelta(days=limit)
    reference = adopted if adopted is not None else today
    assert result.flagged == (reference > deadline)


@given(a=days, b=days, c=days, d=days)
def test_overlap_is_symmetric_and_matches_days(a: date, b: date, c: date, d: date) -> None:
    s1, e1 = min(a, b), max(a, b)
    s2, e2 = min(c, d), max(c, d)
    assert rules.periods_overlap(s1, e1, s2, e2) == rules.periods_overlap(s2, e2, s1, e1)
    shared = max(s1, s2) <= min(e1, e2)
    assert rules.periods_overlap(s1, e1, s2, e2) == shared


@given(st.dates(), st.dates())
def test_plan_years_never_exceed_the_limit(a: date, b: date) -> None:
    start, end = min(a, b), max(a, b)
    years = rules.plan_years(start, end)
    assert 1 <= len(years) <= rules.PLAN_MAX_YEARS
    assert years[0] == start.year
    if rules.period_length_allowed(start, end):
        assert years == list(range(start.year, end.year + 1))
        assert rules.visible_end(start, end) == end
    else:
        assert start <= rules.visible_end(start, end) < end
