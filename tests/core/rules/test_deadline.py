"""``deadline``: due dates in working or calendar days (rules-cli.md)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from sharaka.core.rules.deadline import Calendar, due_date
from sharaka.core.rules.deadline import run as run_deadline


def test_contract_example() -> None:
    document = {"start": "2027-01-05", "count": 20, "unit": "working_days",
                "weekend": ["saturday", "sunday"], "holidays": ["2027-01-11"],
                "roll": "none"}  # fmt: skip
    assert run_deadline(document).as_dict() == {"due": "2027-02-03"}


def test_count_zero_is_the_start_and_defaults() -> None:
    assert run_deadline({"start": "2027-01-09", "count": 0, "unit": "working_days"}).due == (
        dt.date(2027, 1, 9)
    )
    # Friday + 1 working day with the default weekend: Monday
    assert run_deadline({"start": "2027-01-08", "count": 1, "unit": "working_days"}).due == (
        dt.date(2027, 1, 11)
    )


def test_calendar_days_and_roll() -> None:
    # Thursday + 2 = Saturday; rolled: Monday, unless Monday is a holiday: Tuesday
    base = {"start": "2027-01-07", "count": 2, "unit": "calendar_days"}
    assert run_deadline(base).due == dt.date(2027, 1, 9)
    rolled = {**base, "roll": "next_working_day"}
    assert run_deadline(rolled).due == dt.date(2027, 1, 11)
    assert run_deadline({**rolled, "holidays": ["2027-01-11"]}).due == dt.date(2027, 1, 12)
    # a Friday-only weekend (some calendars): Saturday is a working day
    assert run_deadline({**rolled, "weekend": ["friday"]}).due == dt.date(2027, 1, 9)


def test_art_117_three_working_days_and_art_118_twenty_days() -> None:
    # transmission Thursday 2027-03-04: 3 working days -> Tuesday 2027-03-09
    assert run_deadline({"start": "2027-03-04", "count": 3, "unit": "working_days"}).due == (
        dt.date(2027, 3, 9)
    )
    assert run_deadline({"start": "2027-03-04", "count": 20, "unit": "calendar_days"}).due == (
        dt.date(2027, 3, 24)
    )


WEEKEND = st.frozensets(st.integers(0, 6), max_size=6)
HOLIDAYS = st.frozensets(st.dates(dt.date(2026, 1, 1), dt.date(2028, 12, 31)), max_size=40)
START = st.dates(dt.date(2026, 1, 1), dt.date(2028, 12, 31))


@settings(max_examples=300, deadline=None)
@given(START, st.integers(1, 400), WEEKEND, HOLIDAYS)
def test_working_day_due_date_is_a_working_day_and_monotone(
    start: dt.date, count: int, weekend: frozenset[int], holidays: frozenset[dt.date]
) -> None:
    calendar = Calendar(weekend, holidays)
    due = due_date(start, count, "working_days", calendar)
    assert calendar.is_working_day(due) and due > start
    assert due_date(start, count + 1, "working_days", calendar) > due
    assert due_date(start, count - 1, "working_days", calendar) < due
    working = sum(
        calendar.is_working_day(start + dt.timedelta(days=n))
        for n in range(1, (due - start).days + 1)
    )
    assert working == count


@settings(max_examples=300, deadline=None)
@given(START, st.integers(0, 400), WEEKEND, HOLIDAYS)
def test_calendar_days_with_roll_land_on_the_first_working_day(
    start: dt.date, count: int, weekend: frozenset[int], holidays: frozenset[dt.date]
) -> None:
    calendar = Calendar(weekend, holidays)
    plain = due_date(start, count, "calendar_days", calendar)
    assert plain == start + dt.timedelta(days=count)
    rolled = due_date(start, count, "calendar_days", calendar, "next_working_day")
    assert calendar.is_working_day(rolled) and rolled >= plain
    assert all(
        not calendar.is_working_day(plain + dt.timedelta(days=n))
        for n in range((rolled - plain).days)
    )
