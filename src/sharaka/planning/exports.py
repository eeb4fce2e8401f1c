"""CSV and XLSX exports: tables of plain values written as a CSV file (UTF-8 with a byte
order mark, so that spreadsheet programs read the accents) or an XLSX workbook (one sheet
per table, via openpyxl). Also used by ``structure`` for its registers.

Text cells starting with ``=``, ``+``, ``-`` or ``@`` are prefixed with an apostrophe in
CSV, so that a spreadsheet never runs them as formulas.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext

from sharaka.planning.models import PlanVersion
from sharaka.planning.selectors import PlanView

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Table:
    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Any]]


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if text[:1] in ("=", "+", "-", "@"):
        return "'" + text
    return text


def to_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow([_csv_cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(tables: Sequence[Table]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        sheet = workbook.create_sheet(title=table.title[:31])
        sheet.append(list(table.headers))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([v if not isinstance(v, str) or v else None for v in row])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # text, never a formula
        for column, values in enumerate(zip(*([table.headers, *table.rows]), strict=False)):
            width = max((len(str(v)) for v in values if v is not None), default=8)
            letter = sheet.cell(row=1, column=column + 1).column_letter
            sheet.column_dimensions[letter].width = min(max(width + 2, 8), 60)
        for row_cells in sheet.iter_rows(min_row=2):
            for cell in row_cells:
                if isinstance(cell.value, Decimal):
                    cell.number_format = "#,##0.00"
                elif isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd"
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def download(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def csv_response(table: Table, *, filename: str) -> HttpResponse:
    return download(to_csv(table), filename=filename, content_type="text/csv; charset=utf-8")


def xlsx_response(tables: Sequence[Table], *, filename: str) -> HttpResponse:
    return download(to_xlsx(tables), filename=filename, content_type=XLSX_TYPE)


# --- The plan --------------------------------------------------------------------------------


def _responsible(activity: Any) -> str:
    return str(activity.responsible) if activity.responsible else ""


def plan_tables(view: PlanView) -> tuple[Table, Table, Table]:
    """(plan as one table for CSV, activities sheet, budget sheet)."""
    version: PlanVersion = view.version
    years = view.budget.years
    currency = view.plan.currency
    activity_headers = [
        gettext("Objectif"), gettext("Code"), gettext("Activité"), gettext("Responsable"),
        gettext("Début"), gettext("Fin"), gettext("État"), gettext("Avancement (%)"),
        gettext("Livrables"), gettext("Délégation"),
    ]  # fmt: skip
    budget_headers = [
        gettext("Catégorie"), gettext("Libellé"),
        *[f"{year} ({currency})" for year in years], gettext("Total (%(currency)s)")
        % {"currency": currency},
    ]  # fmt: skip
    combined_rows: list[list[Any]] = []
    activity_rows: list[list[Any]] = []
    budget_rows: list[list[Any]] = []
    for block in view.objectives:
        for row in block.activities:
            a = row.activity
            delegated = ", ".join(d.delegate.name for d in row.delegations)
            base = [
                str(block.objective), a.code, a.title, _responsible(a), a.start_date,
                a.end_date, a.get_status_display(), a.progress, a.deliverables, delegated,
            ]  # fmt: skip
            activity_rows.append([*base, row.total])
            if not row.lines:
                combined_rows.append([*base, "", "", *[None for _ in years], Decimal(0)])
            for line in row.lines:
                cells = [line.line.get_category_display(), line.line.label, *line.by_year,
                         line.total]  # fmt: skip
                combined_rows.append([*base, *cells])
                budget_rows.append([a.code, a.title, *cells])
    title = gettext("Plan v%(number)s") % {"number": version.number}
    combined = Table(title, [*activity_headers, *budget_headers], combined_rows)
    activities = Table(
        gettext("Activités"), [*activity_headers, gettext("Budget (%(currency)s)")
                               % {"currency": currency}], activity_rows,
    )  # fmt: skip
    budget = Table(
        gettext("Budget"), [gettext("Code"), gettext("Activité"), *budget_headers], budget_rows
    )
    return combined, activities, budget
