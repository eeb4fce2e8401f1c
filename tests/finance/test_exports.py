"""The finance XLSX export goes through the guarded writer: a supplier or a description
that looks like a formula stays text (it was written as a live formula), a control
character already in the database never breaks the export (it was a 500 for everyone),
amounts stay numbers."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from sharaka.finance.models import Expense
from tests.finance.conftest import FinWorld

pytestmark = pytest.mark.django_db

URL = "finance:export_xlsx"


def _export(client: Any, fw: FinWorld) -> Any:
    response = client.get(reverse(URL, kwargs={"slug": fw.w.a.slug}))
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def test_formula_like_supplier_is_written_as_text(fw: FinWorld, client_for: Any) -> None:
    fw.record("120.00", supplier='=HYPERLINK("http://evil.invalid","Facture")')
    fw.record("80.00", supplier="Atlas", description="-1+1", reference="@REF")
    workbook = _export(client_for("auditor"), fw)
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    expenses = list(workbook["expenses"].iter_rows(min_row=2, values_only=True))
    suppliers = {row[4] for row in expenses}
    assert '=HYPERLINK("http://evil.invalid","Facture")' in suppliers
    atlas = next(row for row in expenses if row[4] == "Atlas")
    # text kept as text, the amount a number
    assert (atlas[5], atlas[8], atlas[2]) == ("@REF", "-1+1", 80)


def test_control_character_in_stored_data_does_not_break_the_export(
    fw: FinWorld, client_for: Any
) -> None:
    expense = fw.record("50.00")
    # stored before input was checked (or by a path that bypassed it)
    Expense.objects.filter(pk=expense.pk).update(supplier="Atlas\x0bSARL", description="a\x1fb")
    workbook = _export(client_for("treasurer"), fw)
    row = next(workbook["expenses"].iter_rows(min_row=2, values_only=True))
    assert row[4] == "AtlasSARL" and row[8] == "ab"


# --- The expense sheet imports back (issue 20, ADR 0055) ---------------------------------------


def _expense_sheet(client: Any, fw: FinWorld, language: str = "fr") -> Any:
    response = client.get(reverse(URL, kwargs={"slug": fw.w.a.slug}), HTTP_ACCEPT_LANGUAGE=language)
    return load_workbook(io.BytesIO(response.content))


def test_expense_sheet_headers_and_codes_do_not_depend_on_the_language(
    fw: FinWorld, client_for: Any
) -> None:
    expense = fw.record("75.00", reference="F-1", line=fw.ops)
    sheets = {}
    for language in ("fr", "ar", "en"):
        client = client_for("auditor")
        client.cookies["django_language"] = language
        sheets[language] = _expense_sheet(client, fw, language)
    rows = {k: list(w["expenses"].iter_rows(values_only=True)) for k, w in sheets.items()}
    assert rows["fr"] == rows["ar"] == rows["en"]
    header, row = rows["fr"]
    assert header == (
        "id", "date", "amount", "currency", "supplier", "reference", "activity_code", "line",
        "description", "status", "has_document", "reverses",
    )  # fmt: skip
    assert row[0] == expense.pk and row[6:8] == ("A1.1", "operations") and row[9] == "recorded"
