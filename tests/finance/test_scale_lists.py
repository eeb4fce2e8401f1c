"""Issue 19: the expense list and the expenses API page through any number of expenses,
deep pages cost the same queries as the first, and the order is stable (id tie-breaker)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sharaka.core.pagination import DeferredRows
from sharaka.finance import selectors
from sharaka.finance.models import Expense
from tests.finance.conftest import FinWorld
from tests.finance.test_api import api_for  # noqa: F401 (fixture)

DAY = date(2025, 4, 1)


def _bulk(fw: FinWorld, n: int, day: date = DAY) -> None:
    Expense.objects.bulk_create(
        Expense(partnership=fw.w.a, plan_version=fw.pw.version, activity=fw.a1, line=fw.staff,
                date=day, year=day.year, amount=Decimal(1), supplier=f"S{i}", status="recorded")
        for i in range(n)
    )  # fmt: skip


def _expected(fw: FinWorld) -> list[int]:
    return list(
        Expense.objects.filter(partnership=fw.w.a)
        .order_by("-date", "-id")
        .values_list("pk", flat=True)
    )


def test_deferred_rows_keep_the_order(fw: FinWorld) -> None:
    _bulk(fw, 30)
    _bulk(fw, 5, date(2025, 5, 1))
    rows = DeferredRows(selectors.expense_list(partnership=fw.w.a))
    assert rows.count() == len(rows) == 35
    assert [e.pk for e in rows[0:35]] == _expected(fw)
    assert [e.pk for e in rows[10:20]] == _expected(fw)[10:20]
    assert rows[3].pk == _expected(fw)[3]
    assert rows[0].activity.code == "A1.1"  # the page's rows come with their joins


def test_api_pages_through_every_expense(fw: FinWorld, api_for: Any) -> None:  # noqa: F811
    _bulk(fw, 230)  # same date: only the id orders them
    client = api_for("auditor")
    base = f"/api/finance/partnerships/{fw.w.a.slug}/expenses"
    seen: list[int] = []
    counts = []
    for page in (1, 2, 3):
        with CaptureQueriesContext(connection) as queries:
            body = client.get(f"{base}?page={page}").json()
        counts.append(len(queries))
        assert body["count"] == 230
        seen += [item["id"] for item in body["items"]]
    assert seen == _expected(fw)  # no row skipped or repeated, more than the old 1,000 cap
    assert counts[0] == counts[2]  # a deep page costs what the first costs
    assert client.get(f"{base}?page=4").status_code in (200, 404)


def test_web_list_deep_page_costs_the_same(fw: FinWorld, client_for: Any) -> None:
    _bulk(fw, 120)
    client = client_for("coordinator")
    url = reverse("finance:expenses", kwargs={"slug": fw.w.a.slug})
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    with CaptureQueriesContext(connection) as deep:
        response = client.get(url + "?page=5")  # the last page
    assert response.status_code == 200
    assert len(deep) == len(first)
    assert f"/depenses/{_expected(fw)[-1]}/" in response.content.decode()
