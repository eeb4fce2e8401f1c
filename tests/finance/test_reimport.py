"""The expense export imports back as it is (issue 20, ADR 0055): the rows name their
expense by id, so a re-import updates the expenses not yet approved instead of recording
them again, leaves unchanged rows alone, and refuses a change to an approved one."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from sharaka.finance import importer, services
from sharaka.finance.importer import ImportRejected
from sharaka.finance.models import Expense
from tests.finance.conftest import FinWorld

pytestmark = pytest.mark.django_db


def _export(client: Any, fw: FinWorld) -> bytes:
    response = client.get(reverse("finance:export_xlsx", kwargs={"slug": fw.w.a.slug}))
    assert response.status_code == 200
    return response.content


def _edit(content: bytes, changes: dict[int, dict[str, Any]]) -> io.BytesIO:
    """The exported workbook with some cells of the expense sheet changed, by expense id."""
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook["expenses"]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        for name, value in changes.get(row[0].value, {}).items():
            row[header.index(name)].value = value
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    return out


def _import(fw: FinWorld, stream: io.BytesIO, **kw: Any) -> importer.ImportResult:
    return importer.expenses_import(
        by=fw.w.coordinator, partnership=fw.w.a, stream=stream, name="finances.xlsx", **kw
    )


def test_round_trip_updates_by_id_and_duplicates_nothing(fw: FinWorld, client_for: Any) -> None:
    recorded = fw.record("100.00", reference="F-1", description="Heures")
    checked = services.expense_check(
        by=fw.w.coordinator, expense=fw.record("200.00", reference="F-2", line=fw.ops)
    )
    approved = fw.approved("300.00", reference="F-3")
    reversal = services.expense_reverse(by=fw.w.treasurer, expense=approved, reason="Erreur")
    content = _export(client_for("treasurer"), fw)
    # as it is: nothing changes, nothing is added
    result = _import(fw, _edit(content, {}), allow_duplicates=False)
    assert (result.written, result.updated, result.unchanged) == (0, 0, 4)
    assert Expense.objects.count() == 4
    # changed: the unapproved ones are updated in place; a checked one is to be checked again
    changes = {
        recorded.pk: {"amount": 150, "description": "Heures sup."},
        checked.pk: {"supplier": "Atlas SARL"},
    }
    result = _import(fw, _edit(content, changes), allow_duplicates=True)  # the same file again
    assert (result.written, result.updated, result.unchanged) == (0, 2, 2)
    recorded.refresh_from_db()
    checked.refresh_from_db()
    assert recorded.amount == Decimal("150.00") and recorded.description == "Heures sup."
    assert checked.supplier == "Atlas SARL" and checked.status == "recorded"
    assert checked.checked_by is None
    assert recorded.history.count() == 2  # the history keeps the version before
    assert Expense.objects.count() == 4 and reversal.amount == Decimal("-300.00")


def test_a_change_to_an_approved_expense_is_refused_on_its_line(
    fw: FinWorld, client_for: Any
) -> None:
    recorded = fw.record("100.00", reference="F-1")
    approved = fw.approved("300.00", reference="F-3")
    content = _export(client_for("treasurer"), fw)
    stream = _edit(content, {approved.pk: {"amount": 310}, recorded.pk: {"amount": 120}})
    with pytest.raises(ImportRejected) as caught:
        _import(fw, stream)
    errors = caught.value.result.errors
    assert [e.column for e in errors] == ["id"]
    assert f"n° {approved.pk} est approuvée" in errors[0].message
    recorded.refresh_from_db()
    assert recorded.amount == Decimal("100.00")  # all or nothing


def test_new_rows_without_id_are_recorded_and_unknown_ids_refused(
    fw: FinWorld, client_for: Any
) -> None:
    fw.record("100.00", reference="F-1")
    content = _export(client_for("treasurer"), fw)
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook["expenses"]
    sheet.append([None, "2025-04-02", 55, "MAD", "Nouveau", "N-1", "A1.1", "staff", "x"])
    sheet.append([999999, "2025-04-02", 56, "MAD", "Autre", "N-2", "A1.1", "staff", "x"])
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    with pytest.raises(ImportRejected) as caught:
        _import(fw, out)
    assert [(e.line, e.column) for e in caught.value.result.errors] == [(4, "id")]
    sheet.delete_rows(4)
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    result = _import(fw, out)
    assert (result.written, result.unchanged) == (1, 1)
    assert Expense.objects.filter(supplier="Nouveau", amount=Decimal("55")).count() == 1
