"""Compliance scores of a partnership and of an authority (issue 19, ADR 0037). Pure.

Each score is a whole number from 0 to 100, or ``None`` when the data it needs does not
exist (no board seated yet, no meeting whose minutes are due, no budget, no audit run, no
request...): "not yet measured", never a made-up value. Each ``Measure`` states its legal
reference; the observatory shows it beside the score.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

Score = int | None


class Code(StrEnum):
    BOARD_BALANCE = "board_balance"
    WOMEN_SHARE = "women_share"
    CONVENTION = "convention"
    ACTION_PLAN = "action_plan"
    MINUTES_ON_TIME = "minutes_on_time"
    BUDGET_EXECUTION = "budget_execution"
    AUDIT_FINDINGS = "audit_findings"
    REQUESTS_ON_TIME = "requests_on_time"
    DECISIONS_POSTED = "decisions_posted"
    EVALUATIONS_ON_SCHEDULE = "evaluations_on_schedule"


@dataclass(frozen=True)
class Measure:
    code: Code
    reference: str
    #: False while no app records the data this score needs: always "not yet measured".
    measured: bool = True


MEASURES: tuple[Measure, ...] = (
    Measure(Code.BOARD_BALANCE, "Loi organique 113-14, art. 149 ; convention de partenariat"),
    Measure(Code.WOMEN_SHARE, "Constitution, art. 19 ; loi organique 113-14, art. 17 et 120"),
    Measure(Code.CONVENTION, "Loi organique 113-14, art. 92, 94 et 149-150"),
    Measure(Code.ACTION_PLAN, "Loi organique 113-14, art. 78 et 271-272"),
    Measure(Code.MINUTES_ON_TIME, "Loi organique 113-14, art. 116 (15 jours ouvrables)"),
    Measure(Code.BUDGET_EXECUTION, "Loi organique 113-14, art. 150-151"),
    Measure(Code.AUDIT_FINDINGS, "Loi organique 113-14, art. 272 (contrôle interne)"),
    Measure(Code.REQUESTS_ON_TIME, "Loi 31-13, art. 16-17 (20 jours ouvrables)"),
    Measure(Code.DECISIONS_POSTED, "Loi organique 113-14, art. 273 (affichage sous 8 jours)"),
    Measure(
        Code.EVALUATIONS_ON_SCHEDULE,
        "Loi organique 113-14, art. 271-272 ; clauses d'audit et d'évaluation de la convention",
    ),
)

#: Minutes are due within 15 working days of the meeting (art. 116): 21 calendar days.
MINUTES_DAYS = 21
#: The product's benchmark for women on a board: at least one third (domain/morocco.md).
WOMEN_TARGET = Fraction(1, 3)
#: Points lost per open finding of the last pre-audit run.
POINTS_PER_FINDING = 10


def _percent(value: Fraction) -> int:
    """0..1 as a whole percentage, rounded half up, clamped to 0..100."""
    clamped = min(max(value, Fraction(0)), Fraction(1))
    return int(clamped * 100 + Fraction(1, 2))


def board_balance(seats_by_college: Mapping[str, int]) -> Score:
    """100 when no college holds more than half of the filled voting seats, falling to 0
    when one holds them all. Not measured without a filled voting seat."""
    total = sum(seats_by_college.values())
    if total <= 0:
        return None
    largest = Fraction(max(seats_by_college.values()), total)
    return _percent((1 - largest) / Fraction(1, 2))


def women_share(women: int, members: int) -> Score:
    """Women among the board's current members, against the one-third benchmark."""
    if members <= 0:
        return None
    return _percent(Fraction(women, members) / WOMEN_TARGET)


def convention_in_force(has_version_in_force: bool) -> Score:
    """A signed version of the convention is in force."""
    return 100 if has_version_in_force else 0


def action_plan_in_force(adopted_covering_today: bool) -> Score:
    """An action plan version adopted by the board, whose period covers today."""
    return 100 if adopted_covering_today else 0


def minutes_on_time(due: int, signed_in_time: int) -> Score:
    """Share of the meetings whose minutes are due that had them signed in time."""
    if due <= 0:
        return None
    return _percent(Fraction(signed_in_time, due))


def budget_execution(budget: Decimal, spent: Decimal) -> Score:
    """Spending of the year over the year's budget of the plan in force (capped at 100)."""
    if budget <= 0:
        return None
    return _percent(Fraction(spent) / Fraction(budget))


def audit_findings(open_findings: int | None) -> Score:
    """100 with no finding open in the last pre-audit run, 10 points fewer per finding.
    Not measured when the checks never ran."""
    if open_findings is None:
        return None
    return max(0, 100 - POINTS_PER_FINDING * open_findings)


def requests_on_time(due: int, answered_in_time: int) -> Score:
    """Share of the information requests already due that were answered by their date."""
    if due <= 0:
        return None
    return _percent(Fraction(answered_in_time, due))


def decisions_posted(due: int, posted_in_time: int) -> Score:
    """Share of the board's decisions whose posting was due (posted, or past their 8 days)
    that were posted by their due date (art. 273). Not measured without a decision due."""
    if due <= 0:
        return None
    return _percent(Fraction(posted_in_time, due))


def on_schedule(
    audits_due: int, audits_kept: int, evaluations_due: int, evaluations_kept: int
) -> Score:
    """Audits and evaluations on schedule: of the audits of the plan whose report is due
    (``due_on`` passed), those whose report was delivered; of the evaluations whose planned
    date has passed, those started by that date. One share over both; not measured when
    nothing is due yet."""
    due = audits_due + evaluations_due
    if due <= 0:
        return None
    kept = min(audits_kept, audits_due) + min(evaluations_kept, evaluations_due)
    return _percent(Fraction(kept, due))


def mean(scores: Iterable[Score]) -> Score:
    """The rounded mean of the measured scores; ``None`` when none is measured."""
    measured = [score for score in scores if score is not None]
    if not measured:
        return None
    return _percent(Fraction(sum(measured), 100 * len(measured)))


def overall(scores: Mapping[str, Score]) -> Score:
    """A partnership's (or an authority's) overall score: the mean of its measured scores."""
    return mean(scores.values())


def authority_scores(partnerships: Iterable[Mapping[str, Score]]) -> dict[str, Score]:
    """An authority's score per measure: the mean over its partnerships that measure it."""
    rows = list(partnerships)
    return {m.code.value: mean(row.get(m.code.value) for row in rows) for m in MEASURES}
