"""The pure rules of law 31-13: delays as data, due dates through core.rules.deadline,
lateness and the yearly statistics (hypothesis)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from sharaka.core.rules import deadline
from sharaka.core.rules.deadline import Calendar
from sharaka.transparency import rules

days = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31))
calendars = st.builds(
    Calendar,
    weekend=st.frozensets(st.integers(0, 6), max_size=3),
    holidays=st.frozensets(days, max_size=30),
)


def test_the_delays_of_the_law_are_data_with_their_article() -> None:
    assert (rules.ANSWER.count, rules.ANSWER.unit) == (20, "working_days")
    assert (rules.EXTENSION.count, rules.URGENT.count) == (20, 3)
    assert rules.COMPLAINT_FILING.count == 20 and rules.COMPLAINT_ANSWER.count == 15
    for delay in (
        rules.ANSWER,
        rules.EXTENSION,
        rules.URGENT,
        rules.COMPLAINT_FILING,
        rules.COMPLAINT_ANSWER,
        rules.CDAI_FILING,
        rules.COURT_FILING,
    ):
        assert delay.legal.startswith("Loi 31-13, art. ")
    assert set(rules.GROUND_LEGAL) == set(rules.Ground)


def test_the_due_date_is_the_one_of_sharaka_rules_deadline() -> None:
    start, holidays = dt.date(2027, 1, 5), ["2027-01-11"]
    document = {
        "start": start.isoformat(),
        "count": 20,
        "unit": "working_days",
        "holidays": holidays,
    }
    expected = deadline.run(document).due
    calendar = Calendar(holidays=frozenset({dt.date(2027, 1, 11)}))
    assert rules.answer_due(start, urgent=False, calendar=calendar) == expected
    assert expected == dt.date(2027, 2, 3)  # the contract's example


@given(days, calendars)
def test_urgent_is_never_later_and_extension_never_earlier(start: dt.date, cal: Calendar) -> None:
    normal = rules.answer_due(start, urgent=False, calendar=cal)
    urgent = rules.answer_due(start, urgent=True, calendar=cal)
    assert start < urgent <= normal
    assert rules.extended_due(normal, cal) > normal
    assert cal.is_working_day(normal) and cal.is_working_day(urgent)


@given(days, calendars)
def test_the_complaint_answer_falls_on_a_working_day(start: dt.date, cal: Calendar) -> None:
    due = rules.complaint_answer_due(start, cal)
    assert due >= start + dt.timedelta(days=15) and cal.is_working_day(due)


@given(days, days, st.integers(0, 10), calendars)
def test_a_reminder_window_only_grows(due: dt.date, today: dt.date, n: int, cal: Calendar) -> None:
    if rules.remind(due=due, today=today, within=n, calendar=cal):
        assert rules.remind(due=due, today=today, within=n + 1, calendar=cal)
    if due < today:
        assert rules.remind(due=due, today=today, within=0, calendar=cal)


rows = st.builds(
    rules.Row,
    year=st.integers(2025, 2027),
    due=days,
    answered=st.none() | days,
    outcome=st.sampled_from(["", *rules.Outcome]),
    ground=st.sampled_from(["", *rules.Ground]),
)


@given(st.lists(rows, max_size=40), days)
def test_statistics_count_every_request_once(items: list[rules.Row], today: dt.date) -> None:
    stats = rules.statistics(items, today=today)
    assert sum(s.received for s in stats) == len(items)
    for s in stats:
        assert s.received == s.answered_in_time + s.answered_late + s.open_late + s.open_in_time
        assert s.late == s.answered_late + s.open_late
    assert [s.year for s in stats] == sorted({r.year for r in items}, reverse=True)


def test_the_number_is_the_year_and_four_digits() -> None:
    assert rules.number(2026, 7) == "2026-0007"
