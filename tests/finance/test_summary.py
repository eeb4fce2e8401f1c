from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from sharaka.finance import selectors, services
from sharaka.finance.models import Expense
from tests.finance.conftest import FinWorld

AT = date(2025, 4, 1)


def test_budget_numbers_on_a_known_dataset(fw: FinWorld) -> None:
    fw.approved("400.00")  # staff A1.1: spent 400
    paid = fw.approved("100.00", line=fw.ops)
    services.expense_pay(by=fw.w.treasurer, expense=paid)  # ops: spent 100
    fw.record("250.00")  # staff A1.1: committed 250
    fw.record("1000.00", line=fw.staff2)  # staff A1.2: committed 1000
    budget = selectors.budget_summary_get(partnership=fw.w.a, at=AT)
    assert budget.total.planned == Decimal("3500.00")
    assert budget.total.committed == Decimal("1250.00")
    assert budget.total.spent == Decimal("500.00")
    assert budget.total.remaining == Decimal("1750.00")
    a1 = budget.activities[0]
    assert a1.code == "A1.1" and a1.totals.planned == 1500 and a1.totals.spent == 500
    assert a1.totals.rate_percent == Decimal("33.3")
    staff = {row.label: row for row in budget.categories}["Personnel"]
    assert staff.totals.planned == 3000 and staff.totals.committed == 1250
    assert [row.key for row in budget.by_year] == ["2025"]
    assert budget.surplus == Decimal("-500.00")
    assert budget.expense_count == 4
    assert selectors.budget_summary_get(partnership=fw.w.a, at=AT, year=2026).total.planned == 0


def _bulk(fw: FinWorld, n: int) -> None:
    Expense.objects.bulk_create(
        Expense(
            partnership=fw.w.a,
            plan_version=fw.pw.version,
            activity=fw.a1,
            line=fw.staff,
            date=AT,
            year=2025,
            amount=Decimal(1),
            supplier="S",
            status="recorded",
        )
        for _ in range(n)
    )


def test_fixed_number_of_queries(fw: FinWorld) -> None:
    _bulk(fw, 10)
    with CaptureQueriesContext(connection) as small:
        selectors.budget_summary_get(partnership=fw.w.a, at=AT)
    _bulk(fw, 190)
    with CaptureQueriesContext(connection) as large:
        budget = selectors.budget_summary_get(partnership=fw.w.a, at=AT)
    assert budget.expense_count == 200
    assert len(small.captured_queries) == len(large.captured_queries) <= 10
