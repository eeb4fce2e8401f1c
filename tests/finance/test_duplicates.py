"""Duplicates (issue 20): the same supplier, reference and amount recorded twice (page, API,
import), and the same file imported twice, are refused with a message naming the earlier
record, unless confirmed."""

from __future__ import annotations

import io
import string
from decimal import Decimal
from functools import partial
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from sharaka.accounts.models import ApiToken
from sharaka.core.errors import DomainError
from sharaka.finance import duplicates, importer, services, tasks
from sharaka.finance.importer import COLUMNS, ImportRejected
from sharaka.finance.models import Expense, ImportJob
from tests.finance.conftest import FinWorld, csv_file
from tests.race import postgresql_only, race

pytestmark = pytest.mark.django_db


def _rows(*specs: tuple[str, str, str]) -> list[list[str]]:
    """A file whose rows are (supplier, reference, amount)."""
    return [list(COLUMNS)] + [
        ["2025-04-02", amount, "MAD", supplier, reference, "A1.1", "staff", ""]
        for supplier, reference, amount in specs
    ]


# --- Expenses: the services, the page, the API ------------------------------------------------


def test_same_supplier_reference_and_amount_is_refused_naming_the_earlier(fw: FinWorld) -> None:
    first = fw.record("120.00", reference="FAC-7", supplier="Atlas SARL")
    with pytest.raises(DomainError) as caught:
        fw.record("120.00", reference="FAC-7", supplier=" atlas sarl ")
    error = caught.value
    assert error.code == "expense_duplicate" and error.field == "confirm_duplicate"
    assert error.status == 409
    assert f"n° {first.pk}" in error.message and "FAC-7" in error.message
    assert str(fw.w.coordinator) in error.message
    # confirmed: recorded
    fw.record("120.00", reference="FAC-7", supplier="Atlas SARL", confirm_duplicate=True)
    assert Expense.objects.count() == 2


def test_no_reference_other_amount_or_reversed_is_no_duplicate(fw: FinWorld) -> None:
    fw.record("120.00", supplier="Atlas")
    fw.record("120.00", supplier="Atlas")  # no reference: never taken for a duplicate
    fw.record("120.00", reference="R", supplier="Atlas")
    fw.record("120.01", reference="R", supplier="Atlas")
    fw.record("120.00", reference="R", supplier="Autre")
    approved = fw.approved("50.00", reference="X", supplier="Atlas")
    services.expense_reverse(by=fw.w.treasurer, expense=approved, reason="erreur")
    fw.record("50.00", reference="X", supplier="Atlas")  # the cancelled one does not count


def test_update_into_a_duplicate_needs_confirmation(fw: FinWorld) -> None:
    fw.record("120.00", reference="A")
    other = fw.record("120.00", reference="B")
    with pytest.raises(DomainError) as caught:
        services.expense_update(by=fw.w.coordinator, expense=other, fields={"reference": "A"})
    assert caught.value.code == "expense_duplicate"
    other.refresh_from_db()
    services.expense_update(by=fw.w.coordinator, expense=other, fields={"description": "ok"})


def test_the_page_asks_for_the_checkbox(fw: FinWorld, client_for: Any) -> None:
    first = fw.record("50.00", reference="F-9", supplier="S")
    client = client_for("coordinator")
    url = reverse("finance:expense_create", kwargs={"slug": fw.w.a.slug})
    data = {"date": "2025-04-20", "amount": "50", "currency": "MAD", "supplier": "S",
            "reference": "F-9", "line": fw.staff.pk}  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert f"n° {first.pk}" in page and 'name="confirm_duplicate"' in page
    assert Expense.objects.count() == 1
    response = client.post(url, data | {"confirm_duplicate": "on"})
    assert response.status_code == 302 and Expense.objects.count() == 2


def test_the_api_answers_409_then_records_with_the_flag(fw: FinWorld) -> None:
    fw.record("120.00", reference="API-1", supplier="S")
    _token, raw = ApiToken.issue(user=fw.w.user("coordinator"), name="tests")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    body = {"date": "2025-04-01", "amount": "120.00", "supplier": "S", "reference": "API-1",
            "activity_id": fw.a1.pk, "line_id": fw.staff.pk}  # fmt: skip
    base = f"/api/finance/partnerships/{fw.w.a.slug}/expenses"
    response = client.post(base, body, content_type="application/json")
    assert response.status_code == 409 and response.json()["code"] == "expense_duplicate"
    body["confirm_duplicate"] = True
    assert client.post(base, body, content_type="application/json").status_code == 201


@given(
    supplier=st.text(alphabet=string.ascii_letters + " -", min_size=1, max_size=20),
    reference=st.text(alphabet=string.ascii_letters + string.digits + "-/", max_size=10),
    cents=st.integers(min_value=1, max_value=10**9),
)
def test_key_ignores_case_and_surrounding_spaces(supplier: str, reference: str, cents: int) -> None:
    amount = Decimal(cents) / 100
    assert duplicates.key(f" {supplier.upper()} ", f" {reference} ", amount) == duplicates.key(
        supplier.lower(), reference, amount
    )
    assert duplicates.key(supplier, reference, amount) != duplicates.key(
        supplier, reference, amount + Decimal("0.01")
    )


# --- Imports ----------------------------------------------------------------------------------


def _import(fw: FinWorld, rows: list[list[str]], **kw: Any) -> importer.ImportResult:
    return importer.expenses_import(
        by=fw.w.coordinator, partnership=fw.w.a, stream=csv_file(rows), name="f.csv", **kw
    )


def test_import_rows_repeating_an_expense_or_each_other_are_refused(fw: FinWorld) -> None:
    first = fw.record("10.00", reference="R-1", supplier="Atlas")
    rows = _rows(("ATLAS", "R-1", "10.00"), ("B", "R-2", "5.00"), ("B", "R-2", "5.00"))
    with pytest.raises(ImportRejected) as caught:
        _import(fw, rows)
    errors = caught.value.result.errors
    assert [(e.line, e.column) for e in errors] == [(2, "reference"), (4, "reference")]
    assert f"n° {first.pk}" in errors[0].message and "ligne 3" in errors[1].message
    assert Expense.objects.count() == 1
    result = _import(fw, rows, allow_duplicates=True)
    assert result.written == 3


def test_the_same_file_twice_is_refused_naming_the_earlier_import(fw: FinWorld) -> None:
    content = csv_file(_rows(("A", "R-1", "10.00"))).getvalue()

    def upload(**kw: Any) -> ImportJob:
        return tasks.import_job_start(
            by=fw.w.coordinator, partnership=fw.w.a,
            upload=SimpleUploadedFile("depenses.csv", content), **kw,
        )  # fmt: skip

    job = upload()
    assert job.status == "done" and len(job.sha256) == 64
    with pytest.raises(DomainError) as caught:
        upload()
    assert caught.value.code == "import_duplicate_file"
    assert "depenses.csv" in caught.value.message and str(fw.w.coordinator) in caught.value.message
    assert ImportJob.objects.count() == 1
    again = upload(allow_duplicates=True)  # confirmed: its rows repeat, also confirmed
    assert again.status == "done" and Expense.objects.count() == 2


def test_a_refused_file_may_be_imported_again(fw: FinWorld) -> None:
    rows = _rows(("A", "R-1", "douze"))
    for _ in range(2):
        with pytest.raises(ImportRejected):
            _import(fw, rows)
    assert ImportJob.objects.filter(status="failed").count() == 2


def test_the_import_page_shows_the_refusal_and_the_checkbox(fw: FinWorld, client_for: Any) -> None:
    client = client_for("coordinator")
    url = reverse("finance:import", kwargs={"slug": fw.w.a.slug})
    content = csv_file(_rows(("A", "R-1", "10.00"))).getvalue()
    assert client.post(url, {"file": SimpleUploadedFile("d.csv", content)}).status_code == 302
    response = client.post(url, {"file": SimpleUploadedFile("d.csv", content)})
    page = response.content.decode()
    assert response.status_code == 200 and "déjà été importé" in page
    assert 'name="allow_duplicates"' in page


# --- Concurrency (PostgreSQL) -----------------------------------------------------------------


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_people_recording_the_same_invoice_at_once(fw: FinWorld) -> None:
    outcomes = race(*(partial(fw.record, "99.00", reference="SAME", supplier="S")
                      for _ in range(3)))  # fmt: skip
    assert sorted(outcomes) == ["expense_duplicate"] * 2 + ["ok"]
    assert Expense.objects.filter(reference="SAME").count() == 1


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_the_same_file_uploaded_twice_at_once(fw: FinWorld) -> None:
    content = io.BytesIO(csv_file(_rows(("A", "R-1", "10.00"))).getvalue()).getvalue()
    outcomes = race(*(
        partial(tasks.import_job_start, by=fw.w.coordinator, partnership=fw.w.a,
                upload=SimpleUploadedFile("d.csv", content))
        for _ in range(2)
    ))  # fmt: skip
    assert sorted(outcomes) == ["import_duplicate_file", "ok"]
    assert Expense.objects.count() == 1
