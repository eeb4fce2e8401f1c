"""XLSX export of budget versus actual and of the expenses, formatted for accountants:
bold headers, frozen header row, number formats, column widths. Written by the one
spreadsheet writer, ``core.spreadsheets`` (formulas neutralised, control characters
stripped)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.utils.translation import gettext

from sharaka.core.spreadsheets import PERCENT, Table, to_xlsx
from sharaka.finance.budget import BudgetSummary


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


def _expense_rows(expenses: Iterable[Any]) -> Iterator[list[Any]]:
    for expense in expenses:
        yield [
            expense.date, expense.activity.code, expense.line.get_category_display(),
            expense.supplier, expense.reference, expense.description, expense.amount,
            expense.currency, expense.get_status_display(),
            gettext("oui") if expense.document else gettext("non"),
            expense.reverses_id or "",
        ]  # fmt: skip


def budget_xlsx(summary: BudgetSummary, expenses: Iterable[Any]) -> bytes:
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
    header = [
        gettext("Date"), gettext("Activité"), gettext("Catégorie"), gettext("Fournisseur"),
        gettext("Référence"), gettext("Description"), gettext("Montant"), gettext("Devise"),
        gettext("État"), gettext("Pièce"), gettext("Annule"),
    ]  # fmt: skip
    spending = Table(
        gettext("Dépenses"),
        header,
        _expense_rows(expenses),
        widths=(12, 10, 18, 30, 16, 40, 16, 8, 12, 8, 8),
    )
    return to_xlsx([budget, spending])
