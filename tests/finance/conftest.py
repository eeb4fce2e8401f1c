"""Fixtures of the finance tests: partnership A with an adopted plan (in force from
2025-03-01): activity A1.1 (February to June 2025) with a staff line of 1000 and an
operations line of 500, activity A1.2 (2025) with a staff line of 2000."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sharaka.finance import services
from sharaka.finance.models import Expense
from sharaka.planning.models import Activity, BudgetLine
from tests.planning.conftest import PlanWorld, make_decision, pw  # noqa: F401

PDF = b"%PDF-1.4\n%test\n"


def receipt(name: str = "facture.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@dataclass
class FinWorld:
    pw: PlanWorld
    a1: Activity
    a2: Activity
    staff: BudgetLine
    ops: BudgetLine
    staff2: BudgetLine

    @property
    def w(self) -> Any:
        return self.pw.w

    def record(
        self,
        amount: str = "100.00",
        *,
        by: Any = None,
        line: BudgetLine | None = None,
        day: date = date(2025, 4, 1),
        document: bool = True,
        confirm_duplicate: bool = False,
        **extra: Any,
    ) -> Expense:
        line = line or self.staff
        activity = self.a1 if line.activity_id == self.a1.pk else self.a2
        fields = {
            "date": day,
            "amount": Decimal(amount),
            "supplier": "Fournisseur",
            "activity": activity,
            "line": line,
        } | extra
        return services.expense_record(
            by=by or self.w.coordinator,
            partnership=self.w.a,
            fields=fields,
            document=receipt() if document else None,
            confirm_duplicate=confirm_duplicate,
        )

    def approved(self, amount: str = "100.00", **kw: Any) -> Expense:
        expense = self.record(amount, **kw)
        services.expense_check(by=self.w.coordinator, expense=expense)
        return services.expense_approve(by=self.w.treasurer, expense=expense)


@pytest.fixture
def fw(pw: PlanWorld) -> FinWorld:  # noqa: F811
    a1 = pw.activity("A1.1", start_date=date(2025, 2, 1), end_date=date(2025, 6, 30))
    a2 = pw.activity("A1.2", start_date=date(2025, 1, 1), end_date=date(2025, 12, 31))
    staff = pw.line(a1, "staff", amounts={2025: Decimal("1000.00")})
    ops = pw.line(a1, "operations", amounts={2025: Decimal("500.00")})
    staff2 = pw.line(a2, "staff", amounts={2025: Decimal("2000.00")})
    pw.adopt()
    return FinWorld(pw=pw, a1=a1, a2=a2, staff=staff, ops=ops, staff2=staff2)


def csv_file(rows: list[list[str]]) -> io.BytesIO:
    text = "\n".join(",".join(row) for row in rows) + "\n"
    return io.BytesIO(text.encode())
