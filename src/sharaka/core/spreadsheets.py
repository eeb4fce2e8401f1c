"""The one writer of every CSV and XLSX file the product exports.

A :class:`Table` is a title, headers and rows of plain values; :func:`to_csv` writes it as
CSV (UTF-8 with a byte order mark, so that spreadsheet programs read the accents),
:func:`to_xlsx` writes one sheet per table (bold frozen header row, column widths, number
formats). Every export goes through here, so that two guards hold everywhere:

- *Formula injection* (OWASP "CSV injection"): a text cell starting with ``=``, ``+``,
  ``-``, ``@``, a tab or a carriage return is never run as a formula. In CSV it is prefixed
  with an apostrophe; in XLSX it is written as a string cell (never a formula) marked with
  the "quote prefix" style, so that editing it keeps it text. The text itself is kept.
  Numbers, dates and amounts stay real numbers and dates (a negative amount is a number).
- *Control characters* (``core.text``) are stripped from every text cell: a value stored
  before they were refused at input never makes an export fail for everyone.

The files are meant for people, in their language: in French a CSV file is separated by
semicolons and its amounts have a decimal comma (what a French spreadsheet opens as
numbers); an XLSX file written in Arabic has its sheets right to left. Machine-oriented
files (open data) use ``csv_cell`` as it is and stay comma-separated with decimal points.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import get_language, get_language_bidi

from sharaka.core.errors import NotFound
from sharaka.core.text import strip_control_characters

if TYPE_CHECKING:  # openpyxl is imported when a workbook is written
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

MONEY = "#,##0.00"
PERCENT = "0.0%"
DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd hh:mm"

#: First characters that make a spreadsheet read a text cell as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Table:
    """One CSV file or one XLSX sheet.

    ``rows`` may be a generator (read once) when ``widths`` is given; without ``widths``
    the columns are fitted to their content. ``formats`` gives a column (0-based) a number
    format; otherwise amounts (``Decimal``) get ``MONEY`` and dates ``DATE``."""

    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[object]]
    widths: Sequence[int] | None = None
    formats: Mapping[int, str] = field(default_factory=dict)
    #: XLSX only: the sheet reads right to left (an export in Arabic)
    rtl: bool = False


def formula_like(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


def clean_text(value: object) -> str:
    """``value`` as text without control characters."""
    return strip_control_characters(str(value))


def _naive(value: datetime) -> datetime:
    if timezone.is_aware(value):
        return timezone.make_naive(value)
    return value


# --- CSV --------------------------------------------------------------------------------------


def csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, datetime):
        return _naive(value).isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    text = clean_text(value)
    if formula_like(text):
        return "'" + text
    return text


def csv_text(
    rows: Iterable[Sequence[object]], *, lineterminator: str = "\r\n", french: bool = False
) -> str:
    """``rows`` as CSV text; ``french``: separated by semicolons, decimal commas."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=lineterminator, delimiter=";" if french else ",")
    for row in rows:
        writer.writerow([_french_cell(v) if french else csv_cell(v) for v in row])
    return buffer.getvalue()


def _french_cell(value: object) -> str:
    text = csv_cell(value)
    if isinstance(value, Decimal | float) and not isinstance(value, bool):
        return text.replace(".", ",")
    return text


def french_csv(language: str | None = None) -> bool:
    """Whether a CSV file for people is written the French way in ``language`` (the
    active one by default)."""
    return (language or get_language() or "").split("-")[0] == "fr"


def to_csv(table: Table, *, french: bool | None = None) -> bytes:
    """The table as a UTF-8 CSV file with a byte order mark; in French (by default when
    the interface is) separated by semicolons with decimal commas."""
    french = french_csv() if french is None else french
    return ("\ufeff" + csv_text([table.headers, *table.rows], french=french)).encode("utf-8")


# --- XLSX -------------------------------------------------------------------------------------


def _put(sheet: Worksheet, row: int, column: int, value: object, number_format: str | None) -> None:
    if isinstance(value, str):
        value = clean_text(value)
        if not value:
            return
        cell = sheet.cell(row=row, column=column)
        cell.value = value
        if formula_like(value):
            cell.data_type = "s"  # a string: never a formula
            cell.quotePrefix = True  # and editing it keeps it text
        return
    if value is None:
        return
    if isinstance(value, datetime):
        value = _naive(value)
        number_format = number_format or DATETIME
    elif isinstance(value, date):
        number_format = number_format or DATE
    elif isinstance(value, Decimal):
        number_format = number_format or MONEY
    elif not isinstance(value, int | float):  # bool is an int
        _put(sheet, row, column, str(value), number_format)
        return
    cell = sheet.cell(row=row, column=column, value=value)
    if number_format:
        cell.number_format = number_format


def _width(value: object) -> int:
    if value is None:
        return 0
    if isinstance(value, Decimal):
        return len(f"{value:,.2f}")
    if isinstance(value, date):
        return 10
    return max((len(part) for part in str(value).splitlines()), default=0)


def _write_sheet(workbook: Workbook, table: Table) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    title = clean_text(table.title)
    for character in "[]:*?/\\":
        title = title.replace(character, " ")
    sheet = workbook.create_sheet(title=title[:31] or "Feuille")
    bold = Font(bold=True)
    for column, header in enumerate(table.headers, start=1):
        _put(sheet, 1, column, header, None)
        sheet.cell(row=1, column=column).font = bold
    rows = table.rows if table.widths is not None else list(table.rows)
    for number, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            _put(sheet, number, column, value, table.formats.get(column - 1))
    widths = table.widths
    if widths is None:
        columns = zip(*([table.headers, *rows]), strict=False)
        widths = [min(max(max(map(_width, values), default=8) + 2, 8), 60) for values in columns]
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    if table.rtl:
        sheet.sheet_view.rightToLeft = True


def to_xlsx(tables: Sequence[Table], *, rtl: bool | None = None) -> bytes:
    """One sheet per table; right to left when ``rtl`` (by default when the interface
    language is written right to left, Arabic)."""
    from openpyxl import Workbook

    rtl = get_language_bidi() if rtl is None else rtl
    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in tables:
        _write_sheet(workbook, table)
    if rtl:
        for sheet in workbook.worksheets:
            sheet.sheet_view.rightToLeft = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- Responses --------------------------------------------------------------------------------


def download(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def csv_response(table: Table, *, filename: str) -> HttpResponse:
    return download(to_csv(table), filename=filename, content_type=CSV_TYPE)


def xlsx_response(tables: Sequence[Table], *, filename: str) -> HttpResponse:
    return download(to_xlsx(tables), filename=filename, content_type=XLSX_TYPE)


def table_response(table: Table, *, name: str, fmt: str) -> HttpResponse:
    """``table`` as the download ``<name>.csv`` or ``<name>.xlsx`` (one sheet), as ``fmt``
    asks; any other format is not found."""
    if fmt == "xlsx":
        return xlsx_response([table], filename=f"{name}.xlsx")
    if fmt == "csv":
        return csv_response(table, filename=f"{name}.csv")
    raise NotFound()
