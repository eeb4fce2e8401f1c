"""The one spreadsheet writer: formulas never run, control characters never break a file,
numbers and dates stay numbers and dates."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from sharaka.core.spreadsheets import FORMULA_TRIGGERS, Table, to_csv, to_xlsx
from sharaka.core.text import CONTROL_RE

DANGEROUS = ["=1+1", '=HYPERLINK("http://x","y")', "+33 6", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def _csv_rows(table: Table) -> list[list[str]]:
    return list(csv.reader(io.StringIO(to_csv(table, french=False).decode("utf-8-sig"))))


def _xlsx_cells(tables: list[Table]) -> list[Any]:
    workbook = load_workbook(io.BytesIO(to_xlsx(tables)))
    return [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]


def test_csv_prefixes_formula_like_text_and_keeps_numbers() -> None:
    table = Table("T", ["texte", "montant"], [[text, Decimal("-12.50")] for text in DANGEROUS])
    rows = _csv_rows(table)
    assert rows[0] == ["texte", "montant"]
    assert [row[0] for row in rows[1:]] == ["'" + text for text in DANGEROUS]
    assert {row[1] for row in rows[1:]} == {"-12.50"}  # a negative amount stays a number


def test_xlsx_writes_formula_like_text_as_text() -> None:
    rows = [[text, Decimal("-12.50"), -3, date(2025, 1, 2)] for text in DANGEROUS]
    cells = _xlsx_cells([Table("T", ["texte", "montant", "n", "date"], rows)])
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    workbook = load_workbook(io.BytesIO(to_xlsx([Table("T", ["a", "b", "c", "d"], rows)])))
    sheet = workbook.active
    assert sheet is not None
    values = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in values] == DANGEROUS  # the text is kept as it was
    assert all(sheet.cell(row=r, column=1).quotePrefix for r in range(2, len(DANGEROUS) + 2))
    assert {row[1] for row in values} == {-12.5} and {row[2] for row in values} == {-3}
    assert {row[3] for row in values} == {datetime(2025, 1, 2)}
    assert sheet["B2"].number_format == "#,##0.00" and sheet["D2"].number_format == "yyyy-mm-dd"


def test_control_characters_are_stripped_from_both_formats() -> None:
    rows = [["a\x0bb", "\x00=1+1", "ligne 1\nligne 2\tfin"], ["\x1f\x7f\x85", None, 3]]
    table = Table("Feuille\x0b", ["en\x0btête", "b", "c"], rows)
    assert _csv_rows(table)[1:] == [["ab", "'=1+1", "ligne 1\nligne 2\tfin"], ["", "", "3"]]
    workbook = load_workbook(io.BytesIO(to_xlsx([table])))
    sheet = workbook["Feuille"]
    assert [c.value for c in sheet[1]] == ["entête", "b", "c"]
    assert [c.value for c in sheet[2]] == ["ab", "=1+1", "ligne 1\nligne 2\tfin"]
    assert sheet["B2"].data_type == "s"


def test_rows_may_be_a_generator_when_widths_are_given() -> None:
    rows = ([n, Decimal(n)] for n in range(3))
    table = Table("T", ["n", "m"], rows, widths=(5, 10), formats={1: "0.0%"})
    sheet = load_workbook(io.BytesIO(to_xlsx([table]))).active
    assert sheet is not None and sheet.max_row == 4
    assert sheet["B4"].number_format == "0.0%" and sheet.column_dimensions["B"].width == 10


@given(st.lists(st.text(), min_size=1, max_size=5))
def test_any_text_is_written_without_error_and_never_as_a_formula(texts: list[str]) -> None:
    table = Table("T", ["x"] * len(texts), [texts])
    cells = _xlsx_cells([table])
    assert not [cell for cell in cells if cell.data_type == "f"]
    for cell in cells[len(texts) :]:
        assert cell.value is None or not CONTROL_RE.search(str(cell.value))
    for cell in _csv_rows(table)[1]:
        assert not CONTROL_RE.search(cell)
        assert not cell.startswith(FORMULA_TRIGGERS)


# --- Files for people, in their language (issue 20) -------------------------------------------


def test_french_csv_uses_semicolons_and_decimal_commas() -> None:
    from django.utils import translation

    table = Table("T", ["texte", "montant", "nombre"], [["a; b", Decimal("1234.50"), 3]])
    with translation.override("fr"):
        text = to_csv(table).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows == [["texte", "montant", "nombre"], ["a; b", "1234,50", "3"]]
    with translation.override("en"):
        assert to_csv(table).decode("utf-8-sig").splitlines()[1] == "a; b,1234.50,3"


def test_arabic_xlsx_sheets_are_right_to_left() -> None:
    from django.utils import translation

    tables = [Table("A", ["x"], [[1]]), Table("B", ["y"], [[2]])]
    for language, rtl in (("ar", True), ("fr", False), ("en", False)):
        with translation.override(language):
            workbook = load_workbook(io.BytesIO(to_xlsx(tables)))
        assert [bool(s.sheet_view.rightToLeft) for s in workbook.worksheets] == [rtl, rtl]
