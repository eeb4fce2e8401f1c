"""Budget versus actual: a handful of queries whatever the number of expenses (SQL does the
sums, ``GROUP BY`` line and year), then plain Python rolls the lines up by activity,
category, partner and year. Read through ``finance.selectors`` (which re-exports it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext

from sharaka.finance import controls, rules
from sharaka.finance.models import Contribution, Expense, OverrunAuthorisation
from sharaka.finance.rules import ZERO, Totals
from sharaka.partnerships.models import Partnership
from sharaka.planning.models import BudgetAmount, BudgetCategory, BudgetLine
from sharaka.planning.selectors import plan_in_force_get


@dataclass
class BudgetRow:
    key: str
    label: str
    totals: Totals = field(default_factory=Totals)
    code: str = ""
    category: str = ""
    partner: str = ""
    line_id: int | None = None
    ceiling: Decimal | None = None
    authorised: Decimal = ZERO
    children: list[BudgetRow] = field(default_factory=list)

    @property
    def over_ceiling(self) -> bool:
        used = self.totals.spent + self.totals.committed
        return self.ceiling is not None and used > self.ceiling

    @property
    def excess(self) -> Decimal:
        if self.ceiling is None:
            return ZERO
        return max(ZERO, self.totals.spent + self.totals.committed - self.ceiling)


@dataclass
class BudgetSummary:
    partnership: Partnership
    version: Any  # planning.PlanVersion in force, or None
    currency: str
    year: int | None
    years: list[int]
    tolerance: Fraction
    total: Totals = field(default_factory=Totals)
    activities: list[BudgetRow] = field(default_factory=list)
    categories: list[BudgetRow] = field(default_factory=list)
    partners: list[BudgetRow] = field(default_factory=list)
    by_year: list[BudgetRow] = field(default_factory=list)
    overruns: list[BudgetRow] = field(default_factory=list)
    expense_count: int = 0
    received: Decimal = ZERO

    @property
    def lines(self) -> list[BudgetRow]:
        return [line for activity in self.activities for line in activity.children]

    @property
    def surplus(self) -> Decimal:
        """Operating surplus (or deficit, negative) to date: contributions received minus
        expenses spent (approved or paid)."""
        return self.received - self.total.spent

    @property
    def tolerance_percent(self) -> float:
        return float(self.tolerance) * 100


_CENT = Decimal("0.01")


def _cents(value: Decimal | None) -> Decimal:
    """SQL sums come back as exact decimals on PostgreSQL, as floats turned Decimal on
    SQLite: round to the cent."""
    return ZERO if value is None else Decimal(value).quantize(_CENT)


def _line_key(code: str, category: str, label: str) -> tuple[str, str, str]:
    return (code, category, label)


def budget_summary_get(
    *, partnership: Partnership, year: int | None = None, at: date | None = None
) -> BudgetSummary:
    """Budget versus actual of the plan in force on ``at`` (today by default): planned,
    committed (recorded or checked), spent (approved or paid), remaining and execution rate
    by activity, line, category, partner and year.

    Expenses charged to an earlier version of the same plan count on the matching line of
    the version in force (same activity code, category and label). A fixed number of
    queries whatever the number of expenses.
    """
    day = at or timezone.localdate()
    version = plan_in_force_get(partnership=partnership, at=day)
    received = Contribution.objects.filter(partnership=partnership)
    if year:
        received = received.filter(year=year)
    summary = BudgetSummary(
        partnership=partnership,
        version=version,
        currency=version.plan.currency if version else "",
        year=year,
        years=version.plan.years if version else [],
        tolerance=controls.tolerance_for(partnership, day),
        received=_cents(received.aggregate(t=Sum("received"))["t"]),
    )
    if version is None:
        return summary

    lines = list(
        BudgetLine.objects.filter(activity__version=version)
        .select_related("activity__responsible_organization")
        .order_by("activity__code", "category", "label", "pk")
    )
    # Lines of every version of this plan, mapped to the line of the version in force.
    key_to_line = {
        _line_key(line.activity.code, line.category, line.label): line.pk for line in lines
    }
    target: dict[int, int] = {}
    for pk, code, category, label in BudgetLine.objects.filter(
        activity__version__plan_id=version.plan_id
    ).values_list("pk", "activity__code", "category", "label"):
        current = key_to_line.get(_line_key(code, category, label))
        if current is not None:
            target[pk] = current

    planned: dict[tuple[int, int], Decimal] = {}
    amounts = BudgetAmount.objects.filter(line__activity__version=version)
    if year:
        amounts = amounts.filter(year=year)
    for line_id, amount_year, amount in amounts.values_list("line_id", "year", "amount"):
        planned[(line_id, amount_year)] = amount

    actual: dict[tuple[int, int], tuple[Decimal, Decimal]] = {}
    expenses = Expense.objects.filter(partnership=partnership)
    if year:
        expenses = expenses.filter(year=year)
    grouped = (
        expenses.values("line_id", "year")
        .annotate(
            committed=Sum("amount", filter=Q(status__in=sorted(rules.COMMITTED))),
            spent=Sum("amount", filter=Q(status__in=sorted(rules.SPENT))),
            n=Count("id"),
        )
        .order_by()
    )
    for row in grouped:
        summary.expense_count += row["n"]
        current = target.get(row["line_id"])
        if current is None:
            continue  # charged to another plan
        key = (current, row["year"])
        committed, spent = actual.get(key, (ZERO, ZERO))
        actual[key] = (
            committed + _cents(row["committed"]),
            spent + _cents(row["spent"]),
        )

    authorised: dict[int, Decimal] = {}
    for line_id, total in (
        OverrunAuthorisation.objects.filter(line_id__in=[line.pk for line in lines])
        .values("line_id")
        .annotate(t=Sum("amount"))
        .order_by()
        .values_list("line_id", "t")
    ):
        authorised[line_id] = total or ZERO

    categories = {str(k): str(v) for k, v in BudgetCategory.choices}
    no_partner = gettext("Équipe de gestion")
    by_activity: dict[int, BudgetRow] = {}
    by_category: dict[str, BudgetRow] = {}
    by_partner: dict[str, BudgetRow] = {}
    by_year: dict[int, BudgetRow] = {}
    line_totals: dict[int, Totals] = {}
    all_years = sorted({y for _l, y in planned} | {y for _l, y in actual} | set(summary.years))
    for (line_id, line_year), value in planned.items():
        line_totals.setdefault(line_id, Totals()).planned += value
        by_year.setdefault(
            line_year, BudgetRow(str(line_year), str(line_year))
        ).totals.planned += value
    for (line_id, line_year), (committed, spent) in actual.items():
        totals = line_totals.setdefault(line_id, Totals())
        totals.committed += committed
        totals.spent += spent
        year_row = by_year.setdefault(line_year, BudgetRow(str(line_year), str(line_year)))
        year_row.totals.committed += committed
        year_row.totals.spent += spent
    for line in lines:
        activity = line.activity
        totals = line_totals.get(line.pk, Totals())
        full_planned = totals.planned
        ceiling = None
        if not year:
            ceiling_value = rules.line_ceiling(
                full_planned, summary.tolerance, authorised.get(line.pk, ZERO)
            )
            ceiling = (
                Decimal(ceiling_value.numerator) / Decimal(ceiling_value.denominator)
            ).quantize(Decimal("0.01"))
        partner = (
            activity.responsible_organization.name
            if activity.responsible_organization
            else no_partner
        )
        line_row = BudgetRow(
            key=f"line-{line.pk}",
            label=line.label or categories.get(line.category, line.category),
            totals=totals,
            code=activity.code,
            category=categories.get(line.category, line.category),
            partner=partner,
            line_id=line.pk,
            ceiling=ceiling,
            authorised=authorised.get(line.pk, ZERO),
        )
        activity_row = by_activity.setdefault(
            activity.pk,
            BudgetRow(
                key=f"activity-{activity.pk}", label=activity.title, code=activity.code,
                partner=partner,
            ),
        )  # fmt: skip
        activity_row.children.append(line_row)
        activity_row.totals.add(totals)
        by_category.setdefault(
            line.category, BudgetRow(line.category, categories.get(line.category, line.category))
        ).totals.add(totals)
        by_partner.setdefault(partner, BudgetRow(partner, partner)).totals.add(totals)
        summary.total.add(totals)
        if line_row.over_ceiling:
            summary.overruns.append(line_row)
    summary.activities = list(by_activity.values())
    summary.categories = sorted(by_category.values(), key=lambda r: -r.totals.planned)
    summary.partners = sorted(by_partner.values(), key=lambda r: -r.totals.planned)
    summary.by_year = [by_year[y] for y in all_years if y in by_year]
    summary.years = all_years
    return summary
