"""Requests for access to information (law 31-13), as data and pure functions. No Django.

Every delay is a ``Delay`` (a count, a unit of ``core.rules.deadline`` and the article it
comes from): the pages show the article beside each due date, and a change of the law is a
change of this table, not of the code that counts. The day of the event is day 0 and never
counts; working days are counted on the authority's calendar (``directory.WorkingCalendar``)
by ``core.rules.deadline.due_date``, the function behind ``sharaka rules deadline``.

Source: ``shared/domain/morocco.md`` ("Access to information"). The refusal grounds below
summarise the exceptions of arts 7-9; their wording is to be checked against the official
text by the authority's jurist (*unverified* in the source).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from sharaka.core.rules.deadline import Calendar, due_date


@dataclass(frozen=True)
class Delay:
    count: int
    unit: str  # "working_days" | "calendar_days" (core.rules.deadline.UNITS)
    legal: str
    roll: str = "none"


#: art. 16: answer within 20 working days of receipt
ANSWER = Delay(20, "working_days", "Loi 31-13, art. 16")
#: art. 16: extendable once by 20 working days, with a notice to the requester
EXTENSION = Delay(20, "working_days", "Loi 31-13, art. 16")
#: art. 17: 3 days when the life or the liberty of a person is at stake
URGENT = Delay(3, "working_days", "Loi 31-13, art. 17")
#: art. 19: a complaint to the head of the body within 20 working days of the answer (or of
#: the due date, when no answer came)
COMPLAINT_FILING = Delay(20, "working_days", "Loi 31-13, art. 19")
#: art. 19: the head of the body answers within 15 days (a due date on a non-working day
#: moves to the next working day)
COMPLAINT_ANSWER = Delay(15, "calendar_days", "Loi 31-13, art. 19", roll="next_working_day")
#: art. 20: then the commission (CDAI) within 30 days, deciding within 30 days; art. 21: then
#: the administrative court within 60 days. Shown to the requester with a refusal's remedy.
CDAI_FILING = Delay(30, "calendar_days", "Loi 31-13, art. 20")
CDAI_DECISION = Delay(30, "calendar_days", "Loi 31-13, art. 20")
COURT_FILING = Delay(60, "calendar_days", "Loi 31-13, art. 21")


class Status(StrEnum):
    RECEIVED = "received"
    EXTENDED = "extended"
    ANSWERED = "answered"


OPEN = frozenset({Status.RECEIVED, Status.EXTENDED})


class Outcome(StrEnum):
    GRANTED = "granted"
    PARTLY_GRANTED = "partly_granted"
    REFUSED = "refused"


class Ground(StrEnum):
    """Reasons to withhold information (law 31-13, arts 7-9)."""

    NATIONAL_DEFENCE = "national_defence"
    STATE_SECURITY = "state_security"
    PRIVATE_LIFE = "private_life"
    FUNDAMENTAL_RIGHTS = "fundamental_rights"
    FOREIGN_RELATIONS = "foreign_relations"
    ECONOMIC_POLICY = "economic_policy"
    INTELLECTUAL_PROPERTY = "intellectual_property"
    JUDICIAL_PROCEEDINGS = "judicial_proceedings"
    DELIBERATION_SECRECY = "deliberation_secrecy"
    WHISTLEBLOWERS = "whistleblowers"
    ALREADY_PUBLISHED = "already_published"


#: The article each ground comes from (shown beside it).
GROUND_LEGAL: dict[Ground, str] = {
    Ground.NATIONAL_DEFENCE: "Loi 31-13, art. 7",
    Ground.STATE_SECURITY: "Loi 31-13, art. 7",
    Ground.PRIVATE_LIFE: "Loi 31-13, art. 7",
    Ground.FUNDAMENTAL_RIGHTS: "Loi 31-13, art. 7",
    Ground.FOREIGN_RELATIONS: "Loi 31-13, art. 7",
    Ground.ECONOMIC_POLICY: "Loi 31-13, art. 7",
    Ground.INTELLECTUAL_PROPERTY: "Loi 31-13, art. 7",
    Ground.JUDICIAL_PROCEEDINGS: "Loi 31-13, art. 7",
    Ground.DELIBERATION_SECRECY: "Loi 31-13, art. 7",
    Ground.WHISTLEBLOWERS: "Loi 31-13, art. 8",
    Ground.ALREADY_PUBLISHED: "Loi 31-13, art. 9",
}


def after(start: dt.date, delay: Delay, calendar: Calendar) -> dt.date:
    return due_date(start, delay.count, delay.unit, calendar, delay.roll)


def answer_due(received: dt.date, *, urgent: bool, calendar: Calendar) -> dt.date:
    """When the answer is due: 3 working days when urgent, 20 otherwise."""
    return after(received, URGENT if urgent else ANSWER, calendar)


def extended_due(due: dt.date, calendar: Calendar) -> dt.date:
    """The due date after the one extension: 20 more working days from the first due date."""
    return after(due, EXTENSION, calendar)


def complaint_deadline(decided: dt.date, calendar: Calendar) -> dt.date:
    """The last day to complain to the head of the body, from the answer (or due) date."""
    return after(decided, COMPLAINT_FILING, calendar)


def complaint_answer_due(filed: dt.date, calendar: Calendar) -> dt.date:
    return after(filed, COMPLAINT_ANSWER, calendar)


def is_late(*, due: dt.date, answered: dt.date | None, today: dt.date) -> bool:
    """Answered after the due date, or still unanswered after it."""
    return (answered or today) > due


def remind(*, due: dt.date, today: dt.date, within: int, calendar: Calendar) -> bool:
    """Is an open request due within ``within`` working days of ``today`` (or late)?"""
    return due <= due_date(today, within, "working_days", calendar)


@dataclass(frozen=True)
class Row:
    """What the statistics need of one request."""

    year: int
    due: dt.date
    answered: dt.date | None
    outcome: str  # "" while open
    ground: str  # "" unless refused or partly granted


@dataclass
class YearStats:
    year: int
    received: int = 0
    answered_in_time: int = 0
    answered_late: int = 0
    open_late: int = 0
    open_in_time: int = 0
    granted: int = 0
    partly_granted: int = 0
    refused: int = 0
    grounds: dict[str, int] = field(default_factory=dict)

    @property
    def late(self) -> int:
        return self.answered_late + self.open_late


def statistics(rows: Iterable[Row], *, today: dt.date) -> list[YearStats]:
    """Per year of receipt, most recent first: received, answered in time, late (answered
    late or still open after the due date), outcomes, and refusals (whole or partial) by
    ground."""
    years: dict[int, YearStats] = {}
    for row in rows:
        stats = years.setdefault(row.year, YearStats(row.year))
        stats.received += 1
        late = is_late(due=row.due, answered=row.answered, today=today)
        if row.answered is None:
            if late:
                stats.open_late += 1
            else:
                stats.open_in_time += 1
        elif late:
            stats.answered_late += 1
        else:
            stats.answered_in_time += 1
        if row.outcome == Outcome.GRANTED:
            stats.granted += 1
        elif row.outcome == Outcome.PARTLY_GRANTED:
            stats.partly_granted += 1
        elif row.outcome == Outcome.REFUSED:
            stats.refused += 1
        if row.ground:
            stats.grounds[row.ground] = stats.grounds.get(row.ground, 0) + 1
    return [years[year] for year in sorted(years, reverse=True)]


# --- Posting of the board's decisions (law 113-14, art. 273) -------------------------------

#: art. 273: the decisions are posted within 8 days (the day of the decision is day 0). The
#: delay is counted in calendar days, as the source says "days".
POSTING = Delay(8, "calendar_days", "Loi organique 113-14, art. 273")
#: the officer's to-do list shows a decision to post this many days before its due date
POSTING_WARN_DAYS = 3


class PostingState(StrEnum):
    ON_TIME = "on_time"  # posted by its due date
    LATE = "late"  # posted after its due date
    DUE = "due"  # not posted yet, still in time
    OVERDUE = "overdue"  # not posted, and the due date has passed


def posting_due(decided: dt.date) -> dt.date:
    """The last day to post a decision taken on ``decided``."""
    return after(decided, POSTING, Calendar())


def posting_state(*, due: dt.date, posted: dt.date | None, today: dt.date) -> PostingState:
    if posted is not None:
        return PostingState.LATE if posted > due else PostingState.ON_TIME
    return PostingState.OVERDUE if today > due else PostingState.DUE


def number(year: int, sequence: int) -> str:
    """The request's number, unique per authority and year: ``2026-0007``."""
    return f"{year}-{sequence:04d}"


# --- Proactive publication (law 31-13, art. 10; law 113-14, art. 273) -----------------------

#: How the platform learns an item's status: ``computed`` from its own records (counted by
#: ``selectors.publication_facts``), ``recorded`` by an officer (the platform cannot know it).
COMPUTED = "computed"
RECORDED = "recorded"


@dataclass(frozen=True)
class PublicationItem:
    """One line of the checklist: its code, the article that asks for it, and the source."""

    code: str
    legal: str
    source: str


#: What must be published about each partnership, with the article beside each line. A change
#: of the law is a change of this table (the labels are in ``selectors.PUBLICATION_LABELS``).
#: The list follows art. 10 of law 31-13 as summarised in ``shared/domain/morocco.md``
#: (*to be checked by the authority's jurist*).
PUBLICATION_CHECKLIST: tuple[PublicationItem, ...] = (
    PublicationItem("convention", "Loi 31-13, art. 10", COMPUTED),
    PublicationItem("decisions", "Loi organique 113-14, art. 273", COMPUTED),
    PublicationItem("minutes", "Loi 31-13, art. 10", COMPUTED),
    PublicationItem("budget", "Loi 31-13, art. 10", COMPUTED),
    PublicationItem("evaluations", "Loi 31-13, art. 10", RECORDED),
    PublicationItem("audit_reports", "Loi 31-13, art. 10", RECORDED),
)


class ItemState(StrEnum):
    DONE = "done"  # everything there is to publish is published
    PARTIAL = "partial"  # some, not all
    MISSING = "missing"  # there is something to publish and none of it is
    NONE_YET = "none_yet"  # nothing to publish yet
    TO_CHECK = "to_check"  # the platform cannot know: an officer records it


def item_state(*, due: int | None, published: int, recorded: bool = False) -> ItemState:
    """The state of one checklist line from how many things are due for publication and how
    many of them are published (``due`` is ``None`` when the platform cannot count it: then
    the line is published once an officer has ``recorded`` a publication, else to check)."""
    if due is None:
        return ItemState.DONE if recorded else ItemState.TO_CHECK
    if due <= 0:
        return ItemState.NONE_YET
    published = min(published, due)
    if published >= due:
        return ItemState.DONE
    return ItemState.PARTIAL if published > 0 else ItemState.MISSING
