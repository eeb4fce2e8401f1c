"""The expense import accepts what a spreadsheet program writes in French (issue 20): a CSV
saved in Windows-1252, dates as dd/mm/yyyy, amounts with thousands separators; a binary
file is refused as "not a CSV or XLSX file" before any column is read; the template
starts with a byte-order mark so Excel reads it as UTF-8."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.test import Client

from sharaka.core.errors import DomainError
from sharaka.finance.import_files import amount_of
from sharaka.finance.importer import COLUMNS
from sharaka.finance.models import Expense
from tests.conftest import sign_in
from tests.finance.conftest import FinWorld
from tests.finance.test_import import run

pytestmark = pytest.mark.django_db


def _rows(*rows: tuple[str, str, str]) -> str:
    """(date, amount, supplier) rows of a French-style file (semicolons)."""
    lines = [";".join(COLUMNS)]
    for day, amount, supplier in rows:
        lines.append(";".join([day, amount, "MAD", supplier, "F-1", "A1.1", "staff", "Été"]))
    return "\r\n".join(lines) + "\r\n"


def test_a_windows_1252_csv_is_read(fw: FinWorld) -> None:
    data = _rows(("01/04/2025", "120,50", "Société générale des œuvres")).encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    result = run(fw, io.BytesIO(data))
    assert result.written == 1, result
    expense = Expense.objects.get(partnership=fw.w.a)
    assert expense.supplier == "Société générale des œuvres"
    assert expense.description == "Été"


@pytest.mark.parametrize(
    ("text", "day"),
    [("01/04/2025", "2025-04-01"), ("1/4/2025", "2025-04-01"), ("2025-04-01", "2025-04-01")],
)
def test_day_month_year_dates(fw: FinWorld, text: str, day: str) -> None:
    result = run(fw, io.BytesIO(_rows((text, "10", "S")).encode()))
    assert result.written == 1, result
    assert Expense.objects.get().date.isoformat() == day


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("4 789 000,00", "4789000.00"),
        ("4\u00a0789\u00a0000,00", "4789000.00"),
        ("4\u202f789\u202f000,00", "4789000.00"),
        ("4.789.000,00", "4789000.00"),
        ("4,789,000.00", "4789000.00"),
        ("1.234", "1.234"),  # one dot, three decimals: a decimal point, refused below
    ],
)
def test_thousands_separators(text: str, amount: str) -> None:
    value = amount_of(text)
    if amount == "1.234":
        assert value == "au plus deux décimales"
    else:
        assert value == Decimal(amount)


@pytest.mark.parametrize(
    "data",
    [
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00\x00\x00",  # an old .xls
        b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00",  # an XLSX saved as .csv
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<\x00>>",
    ],
)
def test_a_binary_file_is_not_a_csv_or_xlsx_file(fw: FinWorld, data: bytes) -> None:
    with pytest.raises(DomainError) as caught:
        run(fw, io.BytesIO(data * 50), "depenses.csv")
    assert caught.value.field == "file"
    assert "n'est pas un fichier CSV ou XLSX" in caught.value.message
    assert Expense.objects.count() == 0


def test_an_undecodable_csv_says_so(fw: FinWorld) -> None:
    data = (
        _rows(("01/04/2025", "10", "S")).encode() + b"2025-04-01;10;MAD;\x81\x8d;R;A1.1;staff;d\n"
    )
    with pytest.raises(DomainError) as caught:
        run(fw, io.BytesIO(data))
    assert "encodage" in caught.value.message and "UTF-8" in caught.value.message
    assert Expense.objects.count() == 0


def test_excel_unicode_text_is_read(fw: FinWorld) -> None:
    data = _rows(("01/04/2025", "10", "Société")).replace(";", "\t").encode("utf-16")
    result = run(fw, io.BytesIO(data))
    assert result.written == 1, result
    assert Expense.objects.get().supplier == "Société"


def test_the_template_starts_with_a_byte_order_mark(fw: FinWorld) -> None:
    client = Client()
    sign_in(client, fw.w.coordinator)
    response = client.get(f"/partenariats/{fw.w.a.slug}/finances/import/modele.csv")
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")
    result = run(fw, io.BytesIO(response.content))
    assert result.written == 2, result
