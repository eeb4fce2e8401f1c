"""Pure rules of the results framework (no Django): what a measurement may hold, which
target a measurement is compared with, and where an indicator stands.

Where an indicator stands is computed by ``sharaka.core.rules.progress.progress``, the
same function that backs ``sharaka rules progress`` (contract: rules-cli.md); this module
only chooses its three points (baseline, target, actual) from the framework's data.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from sharaka.core.rules.progress import DEFAULT_AT_RISK, DEFAULT_ON_TRACK, Point, progress

HUNDRED = Decimal(100)


class Measure(StrEnum):
    UNIT = "unit"
    PERCENTAGE = "percentage"
    QUALITATIVE = "qualitative"


class Direction(StrEnum):
    ASCENDING = "ascending"
    DESCENDING = "descending"


class Status(StrEnum):
    """The statuses of the progress rule, and two of our own: ``no_data`` (no measurement
    or no target to compare with) and ``qualitative`` (nothing to compute)."""

    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    NOT_DUE = "not_due"
    NO_DATA = "no_data"
    QUALITATIVE = "qualitative"


#: Worst first: the order of the monitoring page's summary.
STATUS_ORDER = (
    Status.OFF_TRACK, Status.AT_RISK, Status.ON_TRACK, Status.ACHIEVED, Status.NOT_DUE,
    Status.NO_DATA, Status.QUALITATIVE,
)  # fmt: skip


@dataclass(frozen=True)
class Thresholds:
    on_track: Fraction = DEFAULT_ON_TRACK
    at_risk: Fraction = DEFAULT_AT_RISK


class Problem(StrEnum):
    """Why a measurement (or a target) is refused; the service words it."""

    QUALITATIVE_NUMBER = "qualitative_number"
    QUALITATIVE_TEXT_MISSING = "qualitative_text_missing"
    VALUE_MISSING = "value_missing"
    TEXT_ON_NUMBER = "text_on_number"
    PERCENT_RANGE = "percent_range"
    NEGATIVE = "negative"
    PARTS_NOT_DISAGGREGATED = "parts_not_disaggregated"
    PARTS_INCOMPLETE = "parts_incomplete"
    PARTS_SUM = "parts_sum"
    PERIOD_ORDER = "period_order"
    OUTSIDE_PERIODS = "outside_periods"
    TARGET_SIDE = "target_side"
    TARGET_BEFORE_BASELINE = "target_before_baseline"
    PERIOD_OVERLAP = "period_overlap"
    DATES_ORDER = "dates_order"
    NOT_STARTED = "not_started"
    JUDGEMENTS_MISSING = "judgements_missing"
    FINDINGS_MISSING = "findings_missing"
    GENDER_MISSING = "gender_missing"
    SCORE_RANGE = "score_range"


@dataclass(frozen=True)
class Refusal:
    field: str
    problem: Problem


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class TargetPoint:
    period: Period
    value: Decimal


def value_problem(measure: Measure, value: Decimal | None, field: str = "value") -> Refusal | None:
    """A numeric value of an indicator of ``measure`` (baseline, target, measurement)."""
    if measure is Measure.QUALITATIVE:
        return Refusal(field, Problem.QUALITATIVE_NUMBER) if value is not None else None
    if value is None:
        return Refusal(field, Problem.VALUE_MISSING)
    if value < 0:
        return Refusal(field, Problem.NEGATIVE)
    if measure is Measure.PERCENTAGE and value > HUNDRED:
        return Refusal(field, Problem.PERCENT_RANGE)
    return None


def measurement_problem(
    *,
    measure: Measure,
    by_sex: bool,
    periods: Sequence[Period],
    period: Period,
    value: Decimal | None,
    text: str,
    women: Decimal | None,
    men: Decimal | None,
) -> Refusal | None:
    """The first thing wrong with a measurement, naming its field, or ``None``.

    The measured period must lie within one period of the indicator's targets; a
    qualitative indicator takes a text and no number, the others a number and no text; a
    percentage is at most 100; parts (women, men) only for an indicator disaggregated by
    sex, both or neither, summing to the value."""
    if period.end < period.start:
        return Refusal("period_end", Problem.PERIOD_ORDER)
    if not any(p.start <= period.start and period.end <= p.end for p in periods):
        return Refusal("period_start", Problem.OUTSIDE_PERIODS)
    if measure is Measure.QUALITATIVE:
        if value is not None:
            return Refusal("value", Problem.QUALITATIVE_NUMBER)
        if women is not None or men is not None:
            return Refusal("women" if women is not None else "men", Problem.QUALITATIVE_NUMBER)
        if not text.strip():
            return Refusal("text", Problem.QUALITATIVE_TEXT_MISSING)
        return None
    if text.strip():
        return Refusal("text", Problem.TEXT_ON_NUMBER)
    refusal = value_problem(measure, value)
    if refusal is not None:
        return refusal
    if women is None and men is None:
        return None
    if not by_sex:
        return Refusal("women" if women is not None else "men", Problem.PARTS_NOT_DISAGGREGATED)
    if women is None or men is None:
        return Refusal("women" if women is None else "men", Problem.PARTS_INCOMPLETE)
    for name, part in (("women", women), ("men", men)):
        refusal = value_problem(measure, part, name)
        if refusal is not None:
            return refusal
    if women + men != value:
        return Refusal("men", Problem.PARTS_SUM)
    return None


def target_problem(
    *,
    measure: Measure,
    direction: Direction,
    baseline: Decimal | None,
    baseline_date: dt.date,
    period: Period,
    value: Decimal | None,
    others: Sequence[Period],
) -> Refusal | None:
    """A target: a number on the right side of the baseline (as the progress rule needs),
    for a period ending after the baseline date and overlapping no other target's."""
    if measure is Measure.QUALITATIVE:
        return Refusal("value", Problem.QUALITATIVE_NUMBER) if value is not None else None
    refusal = value_problem(measure, value)
    if refusal is not None:
        return refusal
    assert value is not None
    if period.end < period.start:
        return Refusal("period_end", Problem.PERIOD_ORDER)
    if period.end <= baseline_date:
        return Refusal("period_end", Problem.TARGET_BEFORE_BASELINE)
    if any(p.start <= period.end and period.start <= p.end for p in others):
        return Refusal("period_start", Problem.PERIOD_OVERLAP)
    if baseline is not None and not _right_side(direction, baseline, value):
        return Refusal("value", Problem.TARGET_SIDE)
    return None


def _right_side(direction: Direction, baseline: Decimal, value: Decimal) -> bool:
    return value > baseline if direction is Direction.ASCENDING else value < baseline


def target_for(targets: Sequence[TargetPoint], on: dt.date) -> TargetPoint | None:
    """The target a value of ``on`` is compared with: the first whose period ends on or
    after ``on`` (the milestone ahead), else the last one (the way is over)."""
    ordered = sorted(targets, key=lambda t: t.period.end)
    for target in ordered:
        if target.period.end >= on:
            return target
    return ordered[-1] if ordered else None


@dataclass(frozen=True)
class Standing:
    """Where an indicator stands: its status and, when computed, the progress figures and
    the target compared with."""

    status: Status
    achieved: Fraction | None = None
    elapsed: Fraction | None = None
    target: TargetPoint | None = None


def standing(
    *,
    measure: Measure,
    direction: Direction,
    baseline: Decimal | None,
    baseline_date: dt.date,
    targets: Sequence[TargetPoint],
    actual: tuple[dt.date, Decimal] | None,
    thresholds: Thresholds = Thresholds(),
) -> Standing:
    """Where an indicator stands with its latest value ``actual`` (date, value)."""
    if measure is Measure.QUALITATIVE:
        return Standing(Status.QUALITATIVE)
    if actual is None or baseline is None:
        return Standing(Status.NO_DATA)
    target = target_for(targets, actual[0])
    if (
        target is None
        or not _right_side(direction, baseline, target.value)
        or target.period.end <= baseline_date
        or actual[0] < baseline_date
    ):
        return Standing(Status.NO_DATA, target=target)
    result = progress(
        Point(baseline_date, Fraction(baseline)),
        Point(target.period.end, Fraction(target.value)),
        Point(actual[0], Fraction(actual[1])),
        thresholds.on_track,
        thresholds.at_risk,
    )
    return Standing(Status(result.status), result.achieved, result.elapsed, target)


# --- Evaluations (continuous, mid-term, annual, final) ---------------------------------------


class Criterion(StrEnum):
    """The six OECD DAC evaluation criteria (2019), in their usual order."""

    RELEVANCE = "relevance"
    COHERENCE = "coherence"
    EFFECTIVENESS = "effectiveness"
    EFFICIENCY = "efficiency"
    IMPACT = "impact"
    SUSTAINABILITY = "sustainability"


#: The judgement scale: 1 unsatisfactory, 2 partly satisfactory, 3 satisfactory, 4 highly
#: satisfactory (four steps, no neutral middle).
SCORES = (1, 2, 3, 4)


def score_problem(score: int) -> Refusal | None:
    return None if score in SCORES else Refusal("score", Problem.SCORE_RANGE)


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by ``months`` months, kept within the month (31 Jan + 1 → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def schedule(start: dt.date, every_months: int, until: dt.date) -> list[dt.date]:
    """The dates an evaluation is due: every ``every_months`` months after ``start``, up to
    ``until`` included (the convention's evaluation clause)."""
    if every_months < 1:
        return []
    dates: list[dt.date] = []
    k = 1
    while (due := add_months(start, k * every_months)) <= until:
        dates.append(due)
        k += 1
    return dates


def next_due(start: dt.date, every_months: int, last_planned: dt.date | None) -> dt.date | None:
    """The next date of the schedule after the last planned evaluation (the first one when
    none is planned); ``None`` when the clause sets no frequency."""
    if every_months < 1:
        return None
    k = 1
    while (due := add_months(start, k * every_months)) <= (last_planned or dt.date.min):
        k += 1
    return due


def completion_problem(
    *,
    started_on: dt.date | None,
    completed_on: dt.date,
    judged: frozenset[Criterion] | set[Criterion],
    findings: str,
    gender: str,
) -> Refusal | None:
    """Why an evaluation cannot be closed yet: it ends after it starts, judges every DAC
    criterion, states its findings and answers the gender question."""
    if started_on is None:
        return Refusal("started_on", Problem.NOT_STARTED)
    if completed_on < started_on:
        return Refusal("completed_on", Problem.DATES_ORDER)
    if set(Criterion) - set(judged):
        return Refusal("judgements", Problem.JUDGEMENTS_MISSING)
    if not findings.strip():
        return Refusal("findings", Problem.FINDINGS_MISSING)
    if not gender.strip():
        return Refusal("gender_answer", Problem.GENDER_MISSING)
    return None


def recommendation_overdue(due_on: dt.date | None, closed: bool, today: dt.date) -> bool:
    return due_on is not None and not closed and due_on < today
