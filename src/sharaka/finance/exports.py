"""XLSX export of budget versus actual and of the expenses, formatted for accountants:
bold headers, frozen header row, number formats, column widths."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.translation import gettext

from sharaka.finance.selectors import BudgetSummary

MONEY = "#,##0.00"
PERCENT = "0.0%"


def _sheet(workbook: Any, title: str, header: Sequence[str], widths: Sequence[int]) -> Any:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(title[:31])
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    return sheet


def _formats(sheet: Any, money_columns: Iterable[int], percent_columns: Iterable[int]) -> None:
    for row in sheet.iter_rows(min_row=2):
        for index in money_columns:
            row[index - 1].number_format = MONEY
        for index in percent_columns:
            row[index - 1].number_format = PERCENT


def budget_xlsx(summary: BudgetSummary, expenses: Iterable[Any]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    header = [
        gettext("Activité"), gettext("Ligne"), gettext("Catégorie"), gettext("Partenaire"),
        gettext("Prévu"), gettext("Engagé"), gettext("Dépensé"), gettext("Reste"),
        gettext("Taux d'exécution"),
    ]  # fmt: skip
    sheet = _sheet(workbook, gettext("Budget et réalisé"), header, (12, 36, 20, 30) + (16,) * 5)
    for line in summary.lines:
        t = line.totals
        rate = t.rate
        sheet.append([
            line.code, line.label, line.category, line.partner, t.planned, t.committed,
            t.spent, t.remaining, float(rate) if rate is not None else None,
        ])  # fmt: skip
    total = summary.total
    sheet.append([
        gettext("Total"), "", "", "", total.planned, total.committed, total.spent,
        total.remaining, float(total.rate) if total.rate is not None else None,
    ])  # fmt: skip
    _formats(sheet, range(5, 9), [9])

    header = [
        gettext("Date"), gettext("Activité"), gettext("Catégorie"), gettext("Fournisseur"),
        gettext("Référence"), gettext("Description"), gettext("Montant"), gettext("Devise"),
        gettext("État"), gettext("Pièce"), gettext("Annule"),
    ]  # fmt: skip
    sheet = _sheet(workbook, gettext("Dépenses"), header, (12, 10, 18, 30, 16, 40, 16, 8, 12, 8, 8))
    for expense in expenses:
        sheet.append([
            expense.date, expense.activity.code, expense.line.get_category_display(),
            expense.supplier, expense.reference, expense.description, expense.amount,
            expense.currency, expense.get_status_display(),
            gettext("oui") if expense.document else gettext("non"),
            expense.reverses_id or "",
        ])  # fmt: skip
    for row in sheet.iter_rows(min_row=2):
        row[0].number_format = "yyyy-mm-dd"
        row[6].number_format = MONEY
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
