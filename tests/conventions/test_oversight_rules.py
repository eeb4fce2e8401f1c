"""The pure oversight due dates (law 113-14 arts 116-118) on an authority's calendar."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from sharaka.conventions.rules import oversight
from sharaka.conventions.rules.oversight import Oversight, State, Steps, Visa, Waiting
from sharaka.core.rules.deadline import Calendar

MOROCCO = Calendar()  # Saturday and Sunday off
THRONE_DAY = dt.date(2025, 7, 30)


def test_the_delays_are_those_of_the_law() -> None:
    assert (oversight.TRANSMISSION.count, oversight.TRANSMISSION.unit) == (15, "working_days")
    assert (oversight.OBJECTION.count, oversight.OBJECTION.unit) == (3, "working_days")
    assert (oversight.VISA.count, oversight.VISA.unit) == (20, "calendar_days")
    assert "116" in oversight.TRANSMISSION.legal and "118" in oversight.VISA.legal


def test_due_dates_of_a_session_on_a_monday() -> None:
    steps = Steps(session=dt.date(2025, 7, 7), transmitted=dt.date(2025, 7, 11),
                  financial_effect=True)  # fmt: skip
    due = oversight.dues(steps, MOROCCO)
    assert due.transmission_due == dt.date(2025, 7, 28)  # 3 weeks of 5 working days
    assert due.objection_end == dt.date(2025, 7, 16)  # Fri + Mon, Tue, Wed
    assert due.visa_deemed == dt.date(2025, 7, 31)  # 20 calendar days
    with_holiday = Calendar(holidays=frozenset({THRONE_DAY}))
    late = Steps(session=dt.date(2025, 7, 25), transmitted=dt.date(2025, 7, 28))
    assert oversight.dues(late, MOROCCO).objection_end == dt.date(2025, 7, 31)
    assert oversight.dues(late, with_holiday).objection_end == dt.date(2025, 8, 1)


def test_states() -> None:
    day = dt.date(2025, 7, 7)
    sent = Steps(session=day, transmitted=dt.date(2025, 7, 10))  # objection end: 15 July
    assert oversight.state(Steps(session=day), MOROCCO, day) is State.TO_TRANSMIT
    assert oversight.state(sent, MOROCCO, dt.date(2025, 7, 15)) is State.AWAITING_ANSWER
    assert oversight.state(sent, MOROCCO, dt.date(2025, 7, 16)) is State.CLEARED
    answered = Steps(day, dt.date(2025, 7, 10), Oversight.NO_OBJECTION)
    assert oversight.state(answered, MOROCCO, dt.date(2025, 7, 10)) is State.CLEARED
    objected = Steps(day, dt.date(2025, 7, 10), Oversight.OBJECTION)
    assert oversight.state(objected, MOROCCO, dt.date(2026, 1, 1)) is State.OBJECTION
    settled = Steps(day, dt.date(2025, 7, 10), Oversight.OBJECTION_SETTLED)
    assert oversight.state(settled, MOROCCO, dt.date(2025, 7, 11)) is State.CLEARED
    visa = Steps(day, dt.date(2025, 7, 10), Oversight.NO_OBJECTION, financial_effect=True)
    assert oversight.state(visa, MOROCCO, dt.date(2025, 7, 30)) is State.AWAITING_ANSWER
    assert oversight.state(visa, MOROCCO, dt.date(2025, 7, 31)) is State.CLEARED  # deemed
    assert oversight.visa_deemed_granted(visa, MOROCCO, dt.date(2025, 7, 31))
    refused = Steps(day, dt.date(2025, 7, 10), Oversight.NO_OBJECTION, True, Visa.REFUSED)
    assert oversight.state(refused, MOROCCO, dt.date(2026, 1, 1)) is State.VISA_REFUSED
    granted = Steps(day, dt.date(2025, 7, 10), Oversight.NO_OBJECTION, True, Visa.GRANTED)
    assert oversight.state(granted, MOROCCO, dt.date(2025, 7, 11)) is State.CLEARED


def test_waiting_and_overdue() -> None:
    day = dt.date(2025, 7, 7)
    assert oversight.waiting(Steps(day), MOROCCO) == (Waiting.TRANSMISSION, dt.date(2025, 7, 28))
    assert oversight.overdue(Steps(day), MOROCCO, dt.date(2025, 7, 29))
    assert not oversight.overdue(Steps(day), MOROCCO, dt.date(2025, 7, 28))
    assert oversight.overdue(Steps(day, dt.date(2025, 7, 29)), MOROCCO, dt.date(2025, 7, 29))
    visa = Steps(day, dt.date(2025, 7, 10), financial_effect=True)
    assert oversight.waiting(visa, MOROCCO) == (Waiting.ANSWER, dt.date(2025, 7, 30))
    done = Steps(day, dt.date(2025, 7, 10), Oversight.NO_OBJECTION)
    assert oversight.waiting(done, MOROCCO) == (Waiting.NOTHING, None)


days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31))
calendars = st.builds(
    Calendar,
    weekend=st.frozensets(st.integers(0, 6), max_size=3),
    holidays=st.frozensets(days, max_size=20),
)


@given(session=days, gap=st.integers(0, 60), calendar=calendars)
def test_due_dates_fall_on_working_days_after_their_start(
    session: dt.date, gap: int, calendar: Calendar
) -> None:
    steps = Steps(session, session + dt.timedelta(days=gap), financial_effect=True)
    due = oversight.dues(steps, calendar)
    assert due.transmission_due > session and calendar.is_working_day(due.transmission_due)
    assert due.objection_end is not None and due.objection_end > session + dt.timedelta(gap)
    assert calendar.is_working_day(due.objection_end)
    assert due.visa_deemed == session + dt.timedelta(days=gap + 20)
    # at least the count of calendar days, and exactly that many working days in between
    span = (due.transmission_due - session).days
    assert span >= 15
    counted = sum(
        calendar.is_working_day(session + dt.timedelta(days=n)) for n in range(1, span + 1)
    )
    assert counted == 15


@given(
    session=days,
    gap=st.integers(0, 30),
    look=st.integers(0, 60),
    calendar=calendars,
    answer=st.sampled_from(Oversight),
    visa=st.sampled_from(Visa),
    financial=st.booleans(),
)
def test_once_cleared_a_deliberation_stays_cleared(
    session: dt.date, gap: int, look: int, calendar: Calendar, answer: Oversight, visa: Visa,
    financial: bool,
) -> None:  # fmt: skip
    steps = Steps(session, session + dt.timedelta(gap), answer, financial, visa)
    today = session + dt.timedelta(look)
    if oversight.state(steps, calendar, today) is State.CLEARED:
        later = today + dt.timedelta(days=30)
        assert oversight.state(steps, calendar, later) is State.CLEARED
