"""A due date in working or calendar days (contract: rules-cli.md, "deadline").

The start day is day 0 and never counts. Working days are neither a weekend day nor a
holiday; ``roll: next_working_day`` moves a calendar-day due date off a non-working day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sharaka.core.rules.inputs import (
    RuleInputError,
    choice,
    integer,
    iso_date,
    mapping,
    only_keys,
    required,
)

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
UNITS = ("working_days", "calendar_days")
ROLLS = ("none", "next_working_day")
MAX_COUNT = 100_000
MAX_HOLIDAYS = 20_000


@dataclass(frozen=True)
class Calendar:
    """Weekend days (0 = Monday … 6 = Sunday) and holidays; at least one working weekday."""

    weekend: frozenset[int] = frozenset({5, 6})
    holidays: frozenset[dt.date] = frozenset()

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() not in self.weekend and day not in self.holidays


@dataclass(frozen=True)
class Due:
    due: dt.date

    def as_dict(self) -> dict[str, object]:
        return {"due": self.due.isoformat()}


def due_date(
    start: dt.date, count: int, unit: str, calendar: Calendar, roll: str = "none"
) -> dt.date:
    """OverflowError when the due date would fall after 9999-12-31."""
    if len(calendar.weekend) >= 7:
        raise ValueError("a calendar needs at least one working weekday")
    one = dt.timedelta(days=1)
    if unit == "calendar_days":
        day = start + dt.timedelta(days=count)
        if roll == "next_working_day":
            while not calendar.is_working_day(day):
                day += one
        return day
    day, counted = start, 0
    while counted < count:
        day += one
        if calendar.is_working_day(day):
            counted += 1
    return day


def run(document: object) -> Due:
    """Parse one ``deadline`` document and compute it (RuleInputError on bad input)."""
    given = mapping(document, "")
    only_keys(given, {"start", "count", "unit", "weekend", "holidays", "roll"})
    start = iso_date(required(given, "start"), "start")
    count = integer(required(given, "count"), "count", low=0, high=MAX_COUNT)
    unit = choice(required(given, "unit"), "unit", UNITS)
    roll = choice(given.get("roll", "none"), "roll", ROLLS)
    raw_weekend = given.get("weekend", ["saturday", "sunday"])
    if not isinstance(raw_weekend, list):
        raise RuleInputError("weekend", "must be a list of day names")
    weekend = frozenset(
        WEEKDAYS.index(choice(name, f"weekend[{i}]", WEEKDAYS))
        for i, name in enumerate(raw_weekend)
    )
    if len(weekend) == 7:
        raise RuleInputError("weekend", "every day of the week is a weekend day")
    raw_holidays = given.get("holidays", [])
    if not isinstance(raw_holidays, list):
        raise RuleInputError("holidays", "must be a list of dates YYYY-MM-DD")
    if len(raw_holidays) > MAX_HOLIDAYS:
        raise RuleInputError("holidays", f"more than {MAX_HOLIDAYS} dates")
    holidays = frozenset(iso_date(day, f"holidays[{i}]") for i, day in enumerate(raw_holidays))
    try:
        return Due(due_date(start, count, unit, Calendar(weekend, holidays), roll))
    except OverflowError:
        raise RuleInputError("count", "the due date falls after 9999-12-31") from None
