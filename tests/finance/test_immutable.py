"""An approved expense never changes (``core.immutable``, code ``expense_frozen``): it only
moves on to "paid" and receives its missing receipt; it is corrected by a reversal."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from sharaka.finance import services
from sharaka.finance.models import Expense
from tests.finance.conftest import FinWorld, receipt
from tests.frozen import assert_frozen, refused

pytestmark = pytest.mark.django_db

CODE = "expense_frozen"


def test_an_approved_or_paid_expense_refuses_every_change(fw: FinWorld) -> None:
    approved = Expense.objects.get(pk=fw.approved().pk)
    assert_frozen(approved, CODE, amount=Decimal(1))
    assert_frozen(Expense.objects.get(pk=approved.pk), CODE, status="recorded")
    paid = services.expense_pay(by=fw.w.officer, expense=approved)
    assert_frozen(Expense.objects.get(pk=paid.pk), CODE, supplier="Autre")
    assert_frozen(Expense.objects.get(pk=paid.pk), CODE, paid_at=timezone.now())
    refused(lambda: Expense.all_objects.filter(pk=paid.pk).delete(), CODE)


def test_paying_carries_nothing_else(fw: FinWorld) -> None:
    expense = Expense.objects.get(pk=fw.approved().pk)
    expense.status, expense.paid_at, expense.supplier = "paid", timezone.now(), "Autre"
    refused(expense.save, CODE)
    expense.supplier = "Fournisseur"
    expense.save()
    assert Expense.objects.get(pk=expense.pk).status == "paid"


def test_an_approved_expense_receives_its_missing_receipt_once(fw: FinWorld) -> None:
    expense = Expense.objects.get(pk=fw.approved(document=False).pk)
    assert not expense.document
    services.expense_document_attach(by=fw.w.coordinator, expense=expense, document=receipt())
    stored = Expense.objects.get(pk=expense.pk)
    assert stored.document and stored.document_name == "facture.pdf"
    refused(lambda: Expense.objects.filter(pk=expense.pk).update(document_name="autre.pdf"), CODE)
    stored.document_name = "autre.pdf"
    refused(stored.save, CODE)


def test_a_recorded_expense_changes_and_is_deleted_freely(fw: FinWorld) -> None:
    expense = fw.record()
    expense.supplier = "Autre"
    expense.save()
    assert Expense.objects.filter(pk=expense.pk).update(reference="F-1") == 1
    Expense.objects.filter(pk=expense.pk).delete()
    assert not Expense.all_objects.filter(pk=expense.pk).exists()
