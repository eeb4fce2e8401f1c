from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from sharaka.finance import rules
from sharaka.finance.rules import Control

money = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)
positive = st.decimals(
    min_value=Decimal("0.01"), max_value=10**9, places=2, allow_nan=False, allow_infinity=False
)
tolerance = st.fractions(min_value=0, max_value=1, max_denominator=100)


def test_transition_table() -> None:
    assert rules.next_status("recorded", "check") == "checked"
    assert rules.next_status("checked", "approve") == "approved"
    assert rules.next_status("approved", "pay") == "paid"
    assert rules.next_status("recorded", "approve") is None
    assert rules.next_status("paid", "pay") is None
    assert rules.next_status("bogus", "pay") is None


def test_nobody_approves_their_own() -> None:
    assert not rules.may_approve(recorded_by=3, approver=3)
    assert rules.may_approve(recorded_by=3, approver=4)
    assert rules.may_approve(recorded_by=None, approver=4)


def test_tolerance_boundary_is_exact() -> None:
    kw = {
        "planned": Decimal("1000"),
        "already": Decimal("0"),
        "tolerance": Fraction(1, 10),
        "authorised": Decimal("0"),
    }
    assert rules.overrun(amount=Decimal("1100.00"), **kw) == 0
    assert rules.overrun(amount=Decimal("1100.01"), **kw) == Decimal("0.01")


@given(planned=money, already=money, amount=positive, tol=tolerance, authorised=money)
def test_overrun_is_blocked_exactly_beyond_the_ceiling(
    planned: Decimal, already: Decimal, amount: Decimal, tol: Fraction, authorised: Decimal
) -> None:
    excess = rules.overrun(
        planned=planned, already=already, amount=amount, tolerance=tol, authorised=authorised
    )
    ceiling = Fraction(planned) * (1 + tol) + Fraction(authorised)
    within = Fraction(already) + Fraction(amount) <= ceiling
    assert (excess == 0) == within
    assert excess >= 0


@given(planned=money, already=money, amount=positive, tol=tolerance, extra=positive)
def test_an_authorisation_never_makes_things_worse(
    planned: Decimal, already: Decimal, amount: Decimal, tol: Fraction, extra: Decimal
) -> None:
    base = {"planned": planned, "already": already, "amount": amount, "tolerance": tol}
    assert rules.overrun(**base, authorised=extra) <= rules.overrun(**base, authorised=Decimal(0))
    # authorising exactly the excess clears it
    excess = rules.overrun(**base, authorised=Decimal(0))
    if excess > 0:
        assert rules.overrun(**base, authorised=excess) == 0


@given(planned=money, already=money, amount=positive, tol=tolerance)
def test_a_larger_tolerance_never_blocks_more(
    planned: Decimal, already: Decimal, amount: Decimal, tol: Fraction
) -> None:
    base = {"planned": planned, "already": already, "amount": amount, "authorised": Decimal(0)}
    assert rules.overrun(**base, tolerance=tol + Fraction(1, 10)) <= rules.overrun(
        **base, tolerance=tol
    )


def _facts(**kw: object) -> list[rules.Finding]:
    activity = rules.ActivityFacts(1, "A1.1", date(2025, 2, 1), date(2025, 6, 30), 10)
    values: dict[str, object] = {
        "plan_version_id": 10,
        "plan_currency": "MAD",
        "activity": activity,
        "line_activity_id": 1,
    }
    expense = rules.ExpenseFacts(date(2025, 4, 1), Decimal(1), "MAD", True)
    expense = kw.pop("expense", expense)  # type: ignore[assignment]
    values.update(kw)
    return rules.structural_findings(expense, **values)  # type: ignore[arg-type]


def test_structural_controls() -> None:
    assert _facts() == []
    assert [f.control for f in _facts(plan_version_id=None)] == [Control.NO_PLAN]
    assert [f.control for f in _facts(plan_version_id=11)] == [Control.NOT_IN_PLAN]
    assert [f.control for f in _facts(line_activity_id=2)] == [Control.LINE_MISMATCH]
    late = rules.ExpenseFacts(date(2025, 7, 1), Decimal(1), "MAD", True)
    assert [f.control for f in _facts(expense=late)] == [Control.OUTSIDE_PERIOD]
    bare = rules.ExpenseFacts(date(2025, 4, 1), Decimal(1), "EUR", False)
    found = _facts(expense=bare)
    assert [f.control for f in found] == [Control.CURRENCY, Control.NO_DOCUMENT]
    assert not found[1].blocking and found[0].blocking


def test_shares() -> None:
    assert rules.shares({1: Decimal(3), 2: Decimal(1)}) == {1: Fraction(3, 4), 2: Fraction(1, 4)}
    assert rules.public_share([("commune", Decimal(3)), ("association", Decimal(1))]) == Fraction(
        3, 4
    )
    assert rules.public_share([]) is None
    totals = rules.Totals(Decimal(200), Decimal(50), Decimal(50))
    assert totals.remaining == 100 and totals.rate_percent == Decimal("25.0")
