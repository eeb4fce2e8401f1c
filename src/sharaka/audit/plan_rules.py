"""Pure rules of the audit plan and its engagements (ADR 0034, 0040, 0047): the plan's
periods and due dates, the engagement's window, the reproducible sample, who records
findings, and the recommendations' states. The pre-audit checks are in ``rules``.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

# --- Sampling (engagements) --------------------------------------------------------------------


class SampleMethod(StrEnum):
    SIMPLE = "simple"  # every expense equally likely
    AMOUNT = "amount_weighted"  # likelier in proportion to its amount (monetary unit)


class SampleTooLarge(ValueError):
    """The sample asked for is larger than the population it is drawn from."""

    def __init__(self, size: int, population: int) -> None:
        super().__init__(f"sample of {size} from a population of {population}")
        self.size = size
        self.population = population


def draw_sample(
    population: Iterable[tuple[int, Decimal]], *, size: int, seed: int, method: SampleMethod
) -> list[int]:
    """A reproducible sample of ``size`` record ids from ``(id, amount)`` pairs: the same
    population, seed and method always give the same ids, whatever the order they come in,
    so an auditor's sample can be re-drawn and checked from its stored seed.

    Simple: a uniform draw without replacement. Amount-weighted: a draw without replacement
    where each id's chance is in proportion to its amount (Efraimidis-Spirakis keys
    ``u ** (1 / amount)``, compared as ``log(u) / amount`` so large amounts keep their
    precision); ids with no positive amount are never drawn."""
    rows = sorted(dict(population).items())
    if method is SampleMethod.AMOUNT:
        rows = [(pk, amount) for pk, amount in rows if amount > 0]
    if size < 0 or size > len(rows):
        raise SampleTooLarge(size, len(rows))
    rng = random.Random(seed)
    if method is SampleMethod.SIMPLE:
        return sorted(rng.sample([pk for pk, _amount in rows], size))
    keyed = [(math.log(1.0 - rng.random()) / float(amount), pk) for pk, amount in rows]
    keyed.sort(reverse=True)
    return sorted(pk for _key, pk in keyed[:size])


# ------------------------------------------------------------------- audit plan (ADR 0034)


class AuditKind(StrEnum):
    FINANCIAL = "financial"  # the convention's financial verification (annual)
    AUDIT = "audit"  # the audit every ``audit_frequency_months`` months


class AuditStatus(StrEnum):
    DUE = "due"
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    REPORTED = "reported"
    CLOSED = "closed"


#: Audits not yet reported: they are overdue once their due date has passed.
OPEN_STATUSES = frozenset({AuditStatus.DUE, AuditStatus.PLANNED, AuditStatus.IN_PROGRESS})
#: The report of an audit is due this many days after the end of the period it covers.
REPORT_DELAY_DAYS = 90
#: The financial verification the audit clause provides for is annual.
FINANCIAL_FREQUENCY_MONTHS = 12


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` months, kept within the month (31 Jan + 1 -> 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = (date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


def plan_periods(start: date, end: date, months: int) -> list[tuple[date, date]]:
    """The periods, first and last day included, that audits every ``months`` months cover
    from ``start`` to ``end``: consecutive, without gap or overlap, the last cut at ``end``."""
    if months < 1:
        raise ValueError(months)
    periods: list[tuple[date, date]] = []
    first = start
    step = 1
    while first <= end:
        following = add_months(start, months * step)
        periods.append((first, min(end, following - timedelta(days=1))))
        first = following
        step += 1
    return periods


def report_due(period_end: date) -> date:
    return period_end + timedelta(days=REPORT_DELAY_DAYS)


def is_overdue(status: str, due_on: date, today: date) -> bool:
    return status in OPEN_STATUSES and due_on < today


def engagement_problem(
    starts_on: date, ends_on: date, *, life_start: date | None, life_end: date | None
) -> str | None:
    """The field at fault in an engagement's period, or ``None``: it must end on or after
    its first day and lie within the partnership's life."""
    if ends_on < starts_on:
        return "ends_on"
    if life_start is not None and starts_on < life_start:
        return "starts_on"
    if life_end is not None and ends_on > life_end:
        return "ends_on"
    return None


def auditor_may_record(
    *,
    actor_id: int | None,
    auditor_id: int | None,
    starts_on: date | None,
    ends_on: date | None,
    status: str,
    today: date,
) -> bool:
    """Whether ``actor_id`` may add work papers and findings to an engagement (and issue its
    report): they are its auditor, the engagement is under way (from its first to its last
    day) and the audit is not closed."""
    return (
        actor_id is not None
        and actor_id == auditor_id
        and starts_on is not None
        and ends_on is not None
        and starts_on <= today <= ends_on
        and status != AuditStatus.CLOSED
    )


def issuable(status: str) -> bool:
    """A report is issued once, on an audit that is planned or in progress."""
    return status in (AuditStatus.PLANNED, AuditStatus.IN_PROGRESS)


def unsampled(chosen: Iterable[int], sample: Iterable[int]) -> list[int]:
    """The ``chosen`` expense ids that are not in the engagement's ``sample``."""
    drawn = set(sample)
    return sorted({i for i in chosen if i not in drawn})


# --- Recommendations and their follow-up (issue 15, ADR 0047) ---------------------------------


class RecommendationStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    NOT_ACCEPTED = "not_accepted"
    VERIFIED = "verified"


#: A recommendation in one of these states is still awaited (it may become overdue).
PENDING_RECOMMENDATIONS = frozenset({RecommendationStatus.OPEN, RecommendationStatus.IN_PROGRESS})


def recommendation_overdue(status: str, due_on: date, today: date) -> bool:
    """Overdue: still awaited and its due date has passed."""
    return status in PENDING_RECOMMENDATIONS and due_on < today


def recommendation_move_allowed(current: str, new: str, *, verifier: bool = False) -> bool:
    """Whether a follow-up entry may move a recommendation from ``current`` to ``new``.

    The management (``verifier=False``) moves a pending recommendation to any state but
    *verified*, and may add an entry that keeps the state; done, not accepted and verified
    are final for it. Only the auditor (``verifier=True``) verifies, and only a recommendation
    the management says is done: to *verified*, or back to *in progress* when the
    implementation does not hold. Verified is final for everyone (ADR 0051)."""
    if new not in {s.value for s in RecommendationStatus}:
        return False
    if verifier:
        return current == RecommendationStatus.DONE and new in (
            RecommendationStatus.VERIFIED,
            RecommendationStatus.IN_PROGRESS,
        )
    if new == RecommendationStatus.VERIFIED:
        return False
    if current == new:
        return True
    return current in PENDING_RECOMMENDATIONS


def may_verify(
    *, actor_id: int | None, engagements: Iterable[Mapping[str, Any]], today: date
) -> bool:
    """Whether ``actor_id`` may verify a partnership's recommendations: they are the auditor
    of one of its engagements under way today (``engagements``: the keyword arguments of
    ``auditor_may_record`` but ``actor_id`` and ``today``), the one that issued them or a
    later one following them up."""
    return any(auditor_may_record(actor_id=actor_id, today=today, **e) for e in engagements)
