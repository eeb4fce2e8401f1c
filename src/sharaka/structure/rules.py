"""Pure rules of the management structure (no Django import): time shares over
overlapping periods, the women's share of management staff, uploads of asset documents.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

FULL_TIME = Decimal(100)


class StructureKind(StrEnum):
    LIGHT = "light"  # M7: a coordinator and officials of the local authorities
    ASSOCIATIVE = "associative"  # M8: a coordinator lent by a public partner, volunteers
    PROJECT_TEAM = "project_team"  # M9: a director and a team


class StaffRole(StrEnum):
    DIRECTOR = "director"
    COORDINATOR = "coordinator"
    FACILITATOR = "facilitator"
    TEAM_MEMBER = "team_member"
    SECONDED_OFFICIAL = "seconded_official"
    VOLUNTEER = "volunteer"
    RECRUITED_STAFF = "recruited_staff"


#: Who heads the structure, by preference: the first role present leads the chart.
HEAD_ROLES = (StaffRole.DIRECTOR, StaffRole.COORDINATOR, StaffRole.FACILITATOR)


@dataclass(frozen=True)
class Assignment:
    """One assignment of a person: a share of full time from ``start`` to ``end``
    (inclusive; ``None`` = open-ended)."""

    start: date
    end: date | None
    share: Decimal

    def overlaps(self, other: Assignment) -> bool:
        return (self.end is None or other.start <= self.end) and (
            other.end is None or self.start <= other.end
        )


def peak_share(assignments: Iterable[Assignment]) -> Decimal:
    """The highest total share held on any single day (a sweep over start and end days)."""
    events: list[tuple[date, int, Decimal]] = []
    for a in assignments:
        events.append((a.start, 0, a.share))
        if a.end is not None:
            # The share stops counting the day after ``end``; removals sort after additions
            # of the same day only if they belong to the day after, so use end + 1 day.
            events.append((a.end + timedelta(days=1), -1, a.share))
    # On one day, apply removals (-1) before additions (0): an assignment ending on the
    # 31st and one starting on the 1st of the next month do not overlap.
    events.sort(key=lambda e: (e[0], e[1]))
    current = peak = Decimal(0)
    for _day, kind, share in events:
        current = current - share if kind == -1 else current + share
        peak = max(peak, current)
    return peak


def peak_with(candidate: Assignment, others: Iterable[Assignment]) -> Decimal:
    """The highest total share during ``candidate``'s period, counting the others that
    overlap it."""
    overlapping = [a for a in others if a.overlaps(candidate)]
    clipped = [
        Assignment(
            start=max(a.start, candidate.start),
            end=_min_end(a.end, candidate.end),
            share=a.share,
        )
        for a in overlapping
    ]
    return peak_share([candidate, *clipped])


def _min_end(a: date | None, b: date | None) -> date | None:
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)


def share_allowed(candidate: Assignment, others: Iterable[Assignment]) -> bool:
    return peak_with(candidate, others) <= FULL_TIME


def active_on(start: date, end: date | None, day: date) -> bool:
    return start <= day and (end is None or day <= end)


# --- Women's share (M12) -------------------------------------------------------------------


@dataclass(frozen=True)
class GenderShare:
    women: int
    counted: int  # people whose gender is stated
    total: int
    target: Fraction

    @property
    def share(self) -> Fraction | None:
        return Fraction(self.women, self.counted) if self.counted else None

    @property
    def below_target(self) -> bool:
        share = self.share
        return share is not None and share < self.target

    @property
    def percent(self) -> int | None:
        share = self.share
        return None if share is None else round(float(share) * 100)

    @property
    def target_percent(self) -> int:
        return round(float(self.target) * 100)


def gender_share(genders: Iterable[str], *, target: Fraction) -> GenderShare:
    """Women's share among people of stated gender (``f``/``m``; ``x`` is not counted)."""
    values = list(genders)
    counted = [g for g in values if g in ("f", "m")]
    return GenderShare(
        women=sum(1 for g in counted if g == "f"),
        counted=len(counted),
        total=len(values),
        target=target,
    )
