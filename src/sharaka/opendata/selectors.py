"""What is public, in one place: every open-data output reads through these.

- a **partnership** is public when its status is published (``partnerships.rules.PUBLISHED``:
  active, suspended, terminating, terminated), the portal's rule;
- a **decision**, a **meeting** and its **votes** are public once the meeting's minutes are
  published (the portal's rule); secret ballots give counts only, roll-call votes give
  names, a show of hands gives counts;
- a **plan** is public once adopted (the version in force), **expenses** once approved or
  paid, and only as sums per budget line and year (no supplier, no document);
- **contributions**, **parties** and **mandates** of a public partnership are public;
- **people**: first and last name, gender and role; never an e-mail, a phone, a note;
- an **evaluation** is public once completed and taken note of by a public board decision
  (minutes published): its kind, title, evaluator, period, dates and DAC scores; never its
  findings, justifications, recommendations, gender answer nor terms of reference;
- **documents** are never part of the open data.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db.models import Max, QuerySet

from sharaka.core.errors import NotFound
from sharaka.evaluation.models import Evaluation, EvaluationStatus
from sharaka.finance.models import Contribution, Expense, ExpenseStatus
from sharaka.governance.models import Board, Mandate
from sharaka.meetings.models import Decision, MeetingStatusChoice
from sharaka.opendata.models import IatiPublication
from sharaka.partnerships import rules as partnership_rules
from sharaka.partnerships.models import Partnership, Party
from sharaka.planning.models import BudgetAmount, BudgetLine, VersionStatus

PUBLISHED = sorted(s.value for s in partnership_rules.PUBLISHED)


def public_partnerships() -> QuerySet[Partnership]:
    return Partnership.objects.filter(status__in=PUBLISHED)


def public_partnership_get(*, slug: str) -> Partnership:
    partnership = public_partnerships().select_related("lead_authority").filter(slug=slug).first()
    if partnership is None:
        raise NotFound()
    return partnership


def public_board_get(*, partnership: Partnership) -> Board | None:
    return Board.objects.filter(partnership=partnership).first()


def public_parties() -> QuerySet[Party]:
    return Party.objects.filter(partnership__status__in=PUBLISHED)


def public_mandates() -> QuerySet[Mandate]:
    return Mandate.objects.filter(seat__board__partnership__status__in=PUBLISHED)


def public_decisions() -> QuerySet[Decision]:
    return Decision.objects.filter(
        partnership__status__in=PUBLISHED, meeting__status=MeetingStatusChoice.PUBLISHED
    )


def public_evaluations() -> QuerySet[Evaluation]:
    """Completed evaluations whose board decision is public (its minutes published)."""
    return Evaluation.objects.filter(
        partnership__status__in=PUBLISHED, status=EvaluationStatus.COMPLETED,
        board_decision__in=public_decisions(),
    )  # fmt: skip


def public_budget_lines() -> QuerySet[BudgetLine]:
    """The lines of the plans in force (adopted) of public partnerships."""
    return BudgetLine.objects.filter(
        activity__version__plan__partnership__status__in=PUBLISHED,
        activity__version__status=VersionStatus.ADOPTED,
    )


def public_budget_amounts() -> QuerySet[BudgetAmount]:
    return BudgetAmount.objects.filter(
        line__activity__version__plan__partnership__status__in=PUBLISHED,
        line__activity__version__status=VersionStatus.ADOPTED,
    )


def public_contributions() -> QuerySet[Contribution]:
    return Contribution.objects.filter(partnership__status__in=PUBLISHED)


def public_expenses() -> QuerySet[Expense]:
    """Approved or paid expenses of public partnerships (only ever summed)."""
    return Expense.objects.filter(
        partnership__status__in=PUBLISHED, status__in=[ExpenseStatus.APPROVED, ExpenseStatus.PAID]
    )


def iati_publications(*, slug: str | None = None) -> QuerySet[IatiPublication]:
    """The partnerships marked for IATI publication that are public."""
    publications = IatiPublication.objects.filter(
        published=True, partnership__status__in=PUBLISHED
    ).select_related("partnership__lead_authority", "funder")
    if slug is not None:
        publications = publications.filter(partnership__slug=slug)
    return publications.order_by("partnership__slug", "pk")


def latest(queryset: QuerySet[Any], field: str) -> date | None:
    """The last update of a dataset: the latest ``field`` of its rows (a date)."""
    value = queryset.aggregate(m=Max(field))["m"]
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None
