"""The council deliberation and the governor's oversight (law 113-14), as data. Pure.

- art. 116: the deliberation goes to the governor within 15 *working* days of the session;
- art. 117: the governor may object within 3 *working* days of receiving it (then a second
  deliberation, then the administrative court);
- art. 118: a deliberation with a financial effect needs the governor's visa within 20 days
  (calendar days: the text says days, not working days); silence means the visa is granted.

Source: ``shared/domain/morocco.md`` ("Oversight"). The day of the event is day 0 and never
counts (``core.rules.deadline``); the due dates are counted on the authority's calendar.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from sharaka.core.rules.deadline import Calendar, due_date


@dataclass(frozen=True)
class Delay:
    count: int
    unit: str  # "working_days" | "calendar_days" (core.rules.deadline.UNITS)
    legal: str


TRANSMISSION = Delay(15, "working_days", "Loi organique 113-14, art. 116")
OBJECTION = Delay(3, "working_days", "Loi organique 113-14, art. 117")
VISA = Delay(20, "calendar_days", "Loi organique 113-14, art. 118")


class Oversight(StrEnum):
    PENDING = "pending"  # transmitted, no answer recorded
    NO_OBJECTION = "no_objection"
    OBJECTION = "objection"  # an objection, its follow-up not concluded
    OBJECTION_SETTLED = "objection_settled"  # second deliberation or court: settled


class Visa(StrEnum):
    PENDING = "pending"
    GRANTED = "granted"
    REFUSED = "refused"


@dataclass(frozen=True)
class Steps:
    """What is recorded of one deliberation."""

    session: dt.date
    transmitted: dt.date | None = None
    oversight: Oversight = Oversight.PENDING
    financial_effect: bool = False
    visa: Visa = Visa.PENDING


@dataclass(frozen=True)
class Dues:
    transmission_due: dt.date
    objection_end: dt.date | None  # None until transmitted
    visa_deemed: dt.date | None  # None until transmitted, or without a financial effect


def _after(start: dt.date, delay: Delay, calendar: Calendar) -> dt.date:
    return due_date(start, delay.count, delay.unit, calendar)


def dues(steps: Steps, calendar: Calendar) -> Dues:
    sent = steps.transmitted
    return Dues(
        transmission_due=_after(steps.session, TRANSMISSION, calendar),
        objection_end=_after(sent, OBJECTION, calendar) if sent else None,
        visa_deemed=_after(sent, VISA, calendar) if sent and steps.financial_effect else None,
    )


class State(StrEnum):
    """Where a deliberation stands, for the page and the dashboard."""

    TO_TRANSMIT = "to_transmit"
    AWAITING_ANSWER = "awaiting_answer"  # objection window or visa still open
    OBJECTION = "objection"
    VISA_REFUSED = "visa_refused"
    CLEARED = "cleared"


def visa_deemed_granted(steps: Steps, calendar: Calendar, today: dt.date) -> bool:
    deemed = dues(steps, calendar).visa_deemed
    return steps.visa is Visa.PENDING and deemed is not None and today > deemed


def state(steps: Steps, calendar: Calendar, today: dt.date) -> State:
    """``today`` is the day looked from: a window is over the day after its due date."""
    if steps.transmitted is None:
        return State.TO_TRANSMIT
    due = dues(steps, calendar)
    if steps.oversight is Oversight.OBJECTION:
        return State.OBJECTION
    if steps.financial_effect and steps.visa is Visa.REFUSED:
        return State.VISA_REFUSED
    objection_over = steps.oversight in (Oversight.NO_OBJECTION, Oversight.OBJECTION_SETTLED) or (
        due.objection_end is not None and today > due.objection_end
    )
    visa_ok = (
        not steps.financial_effect
        or steps.visa is Visa.GRANTED
        or visa_deemed_granted(steps, calendar, today)
    )
    return State.CLEARED if objection_over and visa_ok else State.AWAITING_ANSWER


def next_due(steps: Steps, calendar: Calendar, today: dt.date) -> dt.date | None:
    """The date of the step awaited next (None once cleared or stopped): the transmission,
    else the later of the objection window's end and the visa's deemed date."""
    current = state(steps, calendar, today)
    due = dues(steps, calendar)
    if current is State.TO_TRANSMIT:
        return due.transmission_due
    if current is not State.AWAITING_ANSWER:
        return None
    waiting = [d for d in (due.objection_end, due.visa_deemed) if d is not None and d >= today]
    return max(waiting) if waiting else None


def overdue(steps: Steps, calendar: Calendar, today: dt.date) -> bool:
    """The transmission is late: not transmitted and past its due date, or sent after it."""
    due = dues(steps, calendar).transmission_due
    return (steps.transmitted or today) > due


class Waiting(StrEnum):
    """What a deliberation waits for, stored with its date for the dashboard (independent of
    the day: a window whose date has passed is over, the dashboard filters on the date)."""

    TRANSMISSION = "transmission"
    ANSWER = "answer"
    NOTHING = ""


def waiting(steps: Steps, calendar: Calendar) -> tuple[Waiting, dt.date | None]:
    due = dues(steps, calendar)
    if steps.transmitted is None:
        return Waiting.TRANSMISSION, due.transmission_due
    if steps.oversight is Oversight.OBJECTION or (
        steps.financial_effect and steps.visa is Visa.REFUSED
    ):
        return Waiting.NOTHING, None
    ends = []
    if steps.oversight is Oversight.PENDING and due.objection_end is not None:
        ends.append(due.objection_end)
    if steps.financial_effect and steps.visa is Visa.PENDING and due.visa_deemed is not None:
        ends.append(due.visa_deemed)
    return (Waiting.ANSWER, max(ends)) if ends else (Waiting.NOTHING, None)
