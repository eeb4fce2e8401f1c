"""XLSX export of budget versus actual and of the expenses, formatted for accountants:
bold headers, frozen header row, number formats, column widths. Written by the one
spreadsheet writer, ``core.spreadsheets`` (formulas neutralised, control characters
stripped).

The expense sheet imports back as it is (docs/decisions/0055): it is named ``expenses``,
its headers are the import's column names whatever the interface language, the line is its
category code (or its id when the activity has several lines of that category), the status
a code, and the first column the expense's ``id``, so that re-importing the file updates
the expenses not yet approved instead of recording them again."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext

from sharaka.core.spreadsheets import PERCENT, Table, to_xlsx
from sharaka.finance.budget import BudgetSummary
from sharaka.finance.import_template import COLUMNS
from sharaka.planning.models import BudgetLine

#: the expense sheet's name, which the import looks for first
EXPENSE_SHEET = "expenses"
EXPENSE_HEADERS = ("id", *COLUMNS, "status", "has_document", "reverses")


def _budget_rows(summary: BudgetSummary) -> Iterator[list[Any]]:
    for line in summary.lines:
        t = line.totals
        rate = t.rate
        yield [
            line.code, line.label, line.category, line.partner, t.planned, t.committed,
            t.spent, t.remaining, float(rate) if rate is not None else None,
        ]  # fmt: skip
    total = summary.total
    yield [
        gettext("Total"), "", "", "", total.planned, total.committed, total.spent,
        total.remaining, float(total.rate) if total.rate is not None else None,
    ]  # fmt: skip


def shared_categories(partnership_id: int) -> set[tuple[int, str]]:
    """(activity id, category) of the partnership's plans that have several lines (one
    query): there the export names the line by its id, elsewhere by its category."""
    return set(
        BudgetLine.objects.filter(activity__version__plan__partnership_id=partnership_id)
        .values("activity_id", "category")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("activity_id", "category")
    )


def _expense_rows(expenses: Iterable[Any], shared: set[tuple[int, str]]) -> Iterator[list[Any]]:
    for expense in expenses:
        category = expense.line.category
        line = str(expense.line_id) if (expense.activity_id, category) in shared else category
        yield [
            expense.pk, expense.date, expense.amount, expense.currency, expense.supplier,
            expense.reference, expense.activity.code, line, expense.description,
            expense.status, "yes" if expense.document else "no", expense.reverses_id or "",
        ]  # fmt: skip


def budget_xlsx(summary: BudgetSummary, expenses: Iterable[Any], *, partnership_id: int) -> bytes:
    header = [
        gettext("Activité"), gettext("Ligne"), gettext("Catégorie"), gettext("Partenaire"),
        gettext("Prévu"), gettext("Engagé"), gettext("Dépensé"), gettext("Reste"),
        gettext("Taux d'exécution"),
    ]  # fmt: skip
    budget = Table(
        gettext("Budget et réalisé"),
        header,
        _budget_rows(summary),
        widths=(12, 36, 20, 30) + (16,) * 5,
        formats={8: PERCENT},
    )
    spending = Table(
        EXPENSE_SHEET,
        EXPENSE_HEADERS,
        _expense_rows(expenses, shared_categories(partnership_id)),
        widths=(8, 12, 16, 8, 30, 16, 12, 12, 40, 10, 12, 8),
    )
    return to_xlsx([budget, spending])
