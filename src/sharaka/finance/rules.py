"""Pure finance rules (no Django import): the expense workflow, the controls against the
action plan (M15) and the arithmetic of budget versus actual and of contribution shares.

Services load ORM objects, map them to the values below, call these functions and persist
the result; every function here is tested without a database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

ZERO = Decimal("0")
#: Kinds of organisation whose contributions count as public funding (M4).
PUBLIC_KINDS = frozenset({"commune", "grouping", "province_region", "other_public"})


# --- Workflow ---------------------------------------------------------------------------------


class Status(StrEnum):
    RECORDED = "recorded"
    CHECKED = "checked"
    APPROVED = "approved"
    PAID = "paid"


class Action(StrEnum):
    CHECK = "check"
    APPROVE = "approve"
    PAY = "pay"


#: (from, action) -> to. Nothing else moves an expense.
TRANSITIONS: dict[tuple[Status, Action], Status] = {
    (Status.RECORDED, Action.CHECK): Status.CHECKED,
    (Status.CHECKED, Action.APPROVE): Status.APPROVED,
    (Status.APPROVED, Action.PAY): Status.PAID,
}
#: Committed: recorded but not yet approved. Spent: approved (and paid).
COMMITTED = frozenset({Status.RECORDED, Status.CHECKED})
SPENT = frozenset({Status.APPROVED, Status.PAID})
#: An expense in these states never changes again (only approved -> paid).
FROZEN = SPENT


def next_status(current: str, action: str) -> Status | None:
    """The state after ``action``, or ``None`` when the workflow does not allow it."""
    try:
        return TRANSITIONS.get((Status(current), Action(action)))
    except ValueError:
        return None


def may_approve(*, recorded_by: int | None, approver: int) -> bool:
    """Nobody approves an expense they recorded (segregation of duties)."""
    return recorded_by is None or recorded_by != approver


# --- Controls ---------------------------------------------------------------------------------


class Control(StrEnum):
    NO_PLAN = "expense_no_plan_in_force"
    NOT_IN_PLAN = "expense_activity_not_in_plan"
    LINE_MISMATCH = "expense_line_not_of_activity"
    OUTSIDE_PERIOD = "expense_outside_activity_period"
    OVERRUN = "expense_line_overrun"
    NO_DOCUMENT = "expense_missing_document"
    CURRENCY = "expense_currency_mismatch"


#: Controls that stop an expense; the others are warnings shown beside it.
BLOCKING = frozenset(
    {
        Control.NO_PLAN,
        Control.NOT_IN_PLAN,
        Control.LINE_MISMATCH,
        Control.OUTSIDE_PERIOD,
        Control.OVERRUN,
        Control.CURRENCY,
    }
)


@dataclass(frozen=True)
class Finding:
    control: Control
    params: tuple[tuple[str, str], ...] = ()

    @property
    def blocking(self) -> bool:
        return self.control in BLOCKING

    def param(self, name: str) -> str:
        return dict(self.params).get(name, "")


@dataclass(frozen=True)
class ActivityFacts:
    id: int
    code: str
    start: date
    end: date
    version_id: int


@dataclass(frozen=True)
class ExpenseFacts:
    day: date
    amount: Decimal
    currency: str
    has_document: bool


def structural_findings(
    expense: ExpenseFacts,
    *,
    plan_version_id: int | None,
    plan_currency: str,
    activity: ActivityFacts | None,
    line_activity_id: int | None,
) -> list[Finding]:
    """The controls that need no running totals: plan in force, activity of that plan, line
    of that activity, date within the activity's period, currency, supporting document."""
    findings: list[Finding] = []
    if plan_version_id is None:
        return [Finding(Control.NO_PLAN, (("date", expense.day.isoformat()),))]
    if activity is None or activity.version_id != plan_version_id:
        findings.append(Finding(Control.NOT_IN_PLAN))
    elif line_activity_id != activity.id:
        findings.append(Finding(Control.LINE_MISMATCH, (("activity", activity.code),)))
    elif not activity.start <= expense.day <= activity.end:
        findings.append(
            Finding(
                Control.OUTSIDE_PERIOD,
                (
                    ("activity", activity.code),
                    ("start", activity.start.isoformat()),
                    ("end", activity.end.isoformat()),
                ),
            )
        )
    if expense.currency != plan_currency:
        findings.append(
            Finding(Control.CURRENCY, (("currency", expense.currency), ("plan", plan_currency)))
        )
    if not expense.has_document:
        findings.append(Finding(Control.NO_DOCUMENT))
    return findings


def line_ceiling(planned: Decimal, tolerance: Fraction, authorised: Decimal) -> Fraction:
    """What a line may spend: planned x (1 + tolerance), plus what the board authorised."""
    return Fraction(planned) * (1 + tolerance) + Fraction(authorised)


def overrun(
    *, planned: Decimal, already: Decimal, amount: Decimal, tolerance: Fraction, authorised: Decimal
) -> Decimal:
    """How much ``amount`` would take the line beyond its ceiling (0 when within it).

    ``already`` is what the line has spent (approved or paid) before this expense. Exact
    arithmetic (Fraction): a tolerance of 1/10 on 1000 allows exactly 1100.
    """
    ceiling = line_ceiling(planned, tolerance, authorised)
    total = Fraction(already) + Fraction(amount)
    if total <= ceiling:
        return ZERO
    excess = total - ceiling
    return (Decimal(excess.numerator) / Decimal(excess.denominator)).quantize(Decimal("0.01"))


def overrun_finding(
    *, planned: Decimal, already: Decimal, amount: Decimal, tolerance: Fraction, authorised: Decimal
) -> Finding | None:
    excess = overrun(
        planned=planned, already=already, amount=amount, tolerance=tolerance, authorised=authorised
    )
    if excess <= 0:
        return None
    return Finding(
        Control.OVERRUN,
        (
            ("excess", f"{excess:.2f}"),
            ("planned", f"{planned:.2f}"),
            ("tolerance", f"{float(tolerance) * 100:g}"),
        ),
    )


# --- Budget versus actual ---------------------------------------------------------------------


@dataclass
class Totals:
    planned: Decimal = ZERO
    committed: Decimal = ZERO
    spent: Decimal = ZERO

    @property
    def remaining(self) -> Decimal:
        return self.planned - self.committed - self.spent

    @property
    def rate(self) -> Fraction | None:
        """Execution rate: spent / planned (None when nothing is planned)."""
        if not self.planned:
            return None
        return Fraction(self.spent) / Fraction(self.planned)

    @property
    def rate_percent(self) -> Decimal | None:
        rate = self.rate
        if rate is None:
            return None
        return (Decimal(rate.numerator) * 100 / Decimal(rate.denominator)).quantize(Decimal("0.1"))

    def add(self, other: Totals) -> None:
        self.planned += other.planned
        self.committed += other.committed
        self.spent += other.spent


def shares(amounts: Mapping[int, Decimal]) -> dict[int, Fraction]:
    """Each key's share of the total (exact); empty when the total is zero."""
    total = sum(amounts.values(), ZERO)
    if total <= 0:
        return {}
    return {key: Fraction(value) / Fraction(total) for key, value in amounts.items()}


def public_share(amounts: Iterable[tuple[str, Decimal]]) -> Fraction | None:
    """Share of funding from public bodies, over (organisation kind, amount) pairs."""
    total = ZERO
    public = ZERO
    for kind, amount in amounts:
        total += amount
        if kind in PUBLIC_KINDS:
            public += amount
    if total <= 0:
        return None
    return Fraction(public) / Fraction(total)
