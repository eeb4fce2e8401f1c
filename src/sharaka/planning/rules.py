"""Pure rules of the action plan (no Django import): version lifecycle, activity codes and
dates, plan years, the adoption deadline.

Services map ORM objects to these values, call the rules, and persist the result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class VersionStatus(StrEnum):
    DRAFT = "draft"
    ADOPTED = "adopted"  # in force
    SUPERSEDED = "superseded"


#: Statuses whose content is frozen for ever.
FROZEN = frozenset({VersionStatus.ADOPTED, VersionStatus.SUPERSEDED})

#: An activity code: a letter prefix then numbers separated by dots (``A1``, ``A1.2``, ``B3.1.4``).
CODE_PATTERN = re.compile(r"^[A-Z]{1,3}\d{1,3}(\.\d{1,3}){0,3}$")


def code_valid(code: str) -> bool:
    return bool(CODE_PATTERN.match(code))


def code_sort_key(code: str) -> tuple[str, tuple[int, ...]]:
    """``A1.2`` < ``A1.10`` < ``A2``: numbers compare as numbers, not as text."""
    match = re.match(r"^([A-Za-z]*)(.*)$", code)
    prefix, rest = (match.group(1), match.group(2)) if match else ("", code)
    numbers: list[int] = []
    for part in rest.split("."):
        numbers.append(int(part) if part.isdigit() else 0)
    return prefix.upper(), tuple(numbers)


def within(start: date, end: date, period_start: date, period_end: date) -> bool:
    """Whether ``[start, end]`` lies inside ``[period_start, period_end]`` and is ordered."""
    return period_start <= start <= end <= period_end


def periods_overlap(a_start: date, a_end: date, b_start: date, b_end: date) -> bool:
    """Whether two closed date ranges share at least one day."""
    return a_start <= b_end and b_start <= a_end


#: The longest plan: its budget has one column per calendar year it touches.
PLAN_MAX_YEARS = 10


def period_length_allowed(period_start: date, period_end: date) -> bool:
    """Whether a plan period touches at most ``PLAN_MAX_YEARS`` calendar years."""
    return period_end.year - period_start.year + 1 <= PLAN_MAX_YEARS


def plan_years(period_start: date, period_end: date) -> list[int]:
    """The calendar years a plan period touches (budget columns), at most
    ``PLAN_MAX_YEARS`` of them even for a period stored before that limit existed."""
    return list(range(period_start.year, visible_end(period_start, period_end).year + 1))


def visible_end(period_start: date, period_end: date) -> date:
    """The end of the part of a period that pages show and budget: the period's end, or
    the end of its ``PLAN_MAX_YEARS``-th calendar year when it is longer (old data)."""
    last_year = period_start.year + PLAN_MAX_YEARS - 1
    return period_end if period_end.year <= last_year else date(last_year, 12, 31)


# --- Adoption deadline -----------------------------------------------------------------------


class DeadlineState(StrEnum):
    NOT_APPLICABLE = "not_applicable"  # no convention in force, or no deadline in it
    PENDING = "pending"  # not adopted yet, deadline still ahead
    MET = "met"  # adopted on or before the deadline
    MISSED = "missed"  # not adopted and the deadline has passed
    LATE = "late"  # adopted, but after the deadline


@dataclass(frozen=True)
class AdoptionDeadline:
    state: DeadlineState
    entry_into_force: date | None = None
    days: int | None = None
    deadline: date | None = None
    adopted_on: date | None = None

    @property
    def flagged(self) -> bool:
        return self.state in (DeadlineState.MISSED, DeadlineState.LATE)


def adoption_deadline(
    *,
    entry_into_force: date | None,
    days: int | None,
    first_adopted_on: date | None,
    today: date,
) -> AdoptionDeadline:
    """The convention asks the board to adopt the action plan within ``days`` days of its
    entry into force: compare with the first adoption (or today, when none yet)."""
    if entry_into_force is None or days is None:
        return AdoptionDeadline(DeadlineState.NOT_APPLICABLE, entry_into_force, days,
                                None, first_adopted_on)  # fmt: skip
    deadline = entry_into_force + timedelta(days=days)
    if first_adopted_on is not None:
        state = DeadlineState.MET if first_adopted_on <= deadline else DeadlineState.LATE
    else:
        state = DeadlineState.PENDING if today <= deadline else DeadlineState.MISSED
    return AdoptionDeadline(state, entry_into_force, days, deadline, first_adopted_on)
