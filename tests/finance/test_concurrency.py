"""Approvals at the same moment never take a budget line beyond its ceiling (issue 21).

Each expense is worth 60 % of the line's room: one may pass, the others must be refused.
Before the line was locked, all four were approved on PostgreSQL under READ COMMITTED.
"""

from __future__ import annotations

from decimal import Decimal
from functools import partial

import pytest

from sharaka.finance import controls, services
from sharaka.finance.models import Expense
from sharaka.partnerships.models import GrantRole
from tests.factories import UserFactory, grant
from tests.finance.conftest import FinWorld
from tests.race import postgresql_only, race

pytestmark = [postgresql_only, pytest.mark.django_db(transaction=True)]


def test_concurrent_approvals_stay_within_the_line(fw: FinWorld) -> None:
    # staff line: 1000 planned, tolerance 1/10, so 1100 may be spent
    checked = []
    for _ in range(4):
        expense = fw.record("660.00")
        checked.append(services.expense_check(by=fw.w.coordinator, expense=expense))
    outcomes = race(
        *(partial(services.expense_approve, by=fw.w.treasurer, expense=e) for e in checked)
    )
    assert sorted(outcomes) == ["expense_line_overrun"] * 3 + ["ok"]
    spent = controls.line_facts(fw.staff.pk).spent
    assert spent == Decimal("660.00")
    assert Expense.objects.filter(line=fw.staff, status="approved").count() == 1


def test_two_treasurers_approving_on_two_lines_do_not_wait_for_each_other(fw: FinWorld) -> None:
    """The lock is per line: approvals on different lines both pass."""
    other = UserFactory(username="tresorier2")
    grant(other, fw.w.a, GrantRole.TREASURER)
    first = services.expense_check(by=fw.w.coordinator, expense=fw.record("900.00"))
    second = services.expense_check(by=fw.w.coordinator, expense=fw.record("400.00", line=fw.ops))
    outcomes = race(
        partial(services.expense_approve, by=fw.w.treasurer, expense=first),
        partial(services.expense_approve, by=other, expense=second),
    )
    assert outcomes == ["ok", "ok"]
