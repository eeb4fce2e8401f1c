"""API: contributions, expenses (with the same controls and workflow as the pages) and the
budget summary. Mounted at ``/api/finance``; every route is under a partnership
(``/partnerships/{slug}/...``). Reads need ``finance.view`` (404 when the partnership is not
visible); writes go through the services. Errors are RFC 9457 problem JSON.

No ``from __future__ import annotations`` here: docs/decisions/0001.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Status

from sharaka.core.access import Perm
from sharaka.core.bounds import BoundedDate, Id, Year
from sharaka.core.errors import NotFound
from sharaka.core.schemas import Schema
from sharaka.directory.models import Organization
from sharaka.finance import selectors, services
from sharaka.finance.models import (
    ContributionKind,
    Expense,
    ExpenseStatus,
    InKindType,
    ValuationMethod,
)
from sharaka.planning.models import Activity, BudgetLine

router = Router(tags=["finance"])


class ContributionIn(Schema):
    organization_id: Id
    year: int = Field(ge=1900, le=2999)
    kind: ContributionKind
    in_kind_type: InKindType | None = None
    description: str = ""
    pledged: Decimal = Field(ge=0, max_digits=14, decimal_places=2)
    received: Decimal = Field(default=Decimal("0"), ge=0, max_digits=14, decimal_places=2)
    currency: str | None = None
    valuation_method: ValuationMethod | None = None
    valuation_note: str = ""


class ContributionOut(Schema):
    id: int
    organization_id: int
    organization_name: str = Field(alias="organization.name")
    year: int
    kind: str
    in_kind_type: str
    description: str
    pledged: Decimal
    received: Decimal
    currency: str
    valuation_method: str
    valuation_note: str


class ExpenseIn(Schema):
    date: BoundedDate
    amount: Decimal = Field(gt=0, max_digits=14, decimal_places=2)
    currency: str | None = None
    supplier: str = Field(min_length=1, max_length=200)
    reference: str = Field(default="", max_length=100)
    activity_id: Id
    line_id: Id
    description: str = Field(default="", max_length=500)


class ExpenseOut(Schema):
    id: int
    date: dt.date
    amount: Decimal
    currency: str
    supplier: str
    reference: str
    description: str
    activity_id: int
    activity_code: str = Field(alias="activity.code")
    line_id: int
    status: ExpenseStatus
    has_document: bool
    reverses_id: int | None
    recorded_by_id: int | None
    approved_by_id: int | None

    @staticmethod
    def resolve_has_document(obj: Expense) -> bool:
        return bool(obj.document)


class ExpenseFilters(Schema):
    status: ExpenseStatus | None = None
    activity: str | None = None
    year: Year | None = None
    missing_document: bool = False


class ReverseIn(Schema):
    reason: str = Field(min_length=1, max_length=300)


class TotalsOut(Schema):
    planned: Decimal
    committed: Decimal
    spent: Decimal
    remaining: Decimal
    rate_percent: Decimal | None


class BudgetRowOut(Schema):
    key: str
    code: str
    label: str
    category: str
    partner: str
    totals: TotalsOut


class BudgetOut(Schema):
    plan_version_id: int | None
    currency: str
    year: int | None
    tolerance: str
    total: TotalsOut
    received: Decimal
    surplus: Decimal
    expense_count: int
    activities: list[BudgetRowOut]
    lines: list[BudgetRowOut]
    categories: list[BudgetRowOut]
    partners: list[BudgetRowOut]
    by_year: list[BudgetRowOut]
    overrun_line_ids: list[int]


def _partnership(request: HttpRequest, slug: str, perm: Perm = Perm.FINANCE_VIEW) -> Any:
    return selectors.partnership_get(user=request.user, slug=slug, perm=perm)


@router.get(
    "/partnerships/{slug}/contributions", response=list[ContributionOut],
    summary="Lister les contributions",
)  # fmt: skip
def contribution_list(request: HttpRequest, slug: str, year: Year | None = None) -> Any:
    return selectors.contribution_list(partnership=_partnership(request, slug), year=year)


@router.post(
    "/partnerships/{slug}/contributions", response={201: ContributionOut},
    summary="Enregistrer une contribution",
)  # fmt: skip
def contribution_create(request: HttpRequest, slug: str, payload: ContributionIn) -> Any:
    partnership = _partnership(request, slug, Perm.CONTRIBUTION_CHANGE)
    organization = Organization.objects.filter(pk=payload.organization_id).first()
    if organization is None:
        raise NotFound()
    data = payload.dict(exclude={"organization_id"})
    data["in_kind_type"] = data["in_kind_type"] or ""
    data["valuation_method"] = data["valuation_method"] or ""
    if not data["currency"]:
        data.pop("currency")
    contribution = services.contribution_create(
        by=request.user, partnership=partnership, fields=data | {"organization": organization}
    )
    return Status(201, contribution)


@router.get(
    "/partnerships/{slug}/expenses", response=list[ExpenseOut], summary="Lister les dépenses"
)
def expense_list(request: HttpRequest, slug: str, filters: Query[ExpenseFilters]) -> Any:
    partnership = _partnership(request, slug)
    return list(
        selectors.expense_list(
            partnership=partnership,
            status=filters.status or "",
            activity=filters.activity or "",
            year=filters.year,
            missing_document=filters.missing_document,
        )[:1000]
    )


@router.post(
    "/partnerships/{slug}/expenses", response={201: ExpenseOut},
    summary="Enregistrer une dépense (contrôlée contre le plan en vigueur)",
)  # fmt: skip
def expense_create(request: HttpRequest, slug: str, payload: ExpenseIn) -> Any:
    partnership = _partnership(request, slug, Perm.EXPENSE_RECORD)
    activity = Activity.objects.filter(
        pk=payload.activity_id, version__plan__partnership=partnership
    ).first()
    line = BudgetLine.objects.filter(
        pk=payload.line_id, activity__version__plan__partnership=partnership
    ).first()
    if activity is None or line is None:
        raise NotFound()
    data = payload.dict(exclude={"activity_id", "line_id"})
    if not data["currency"]:
        data.pop("currency")
    expense = services.expense_record(
        by=request.user, partnership=partnership, fields=data | {"activity": activity, "line": line}
    )
    return Status(201, selectors.expense_get(partnership=partnership, expense_id=expense.pk))


@router.get(
    "/partnerships/{slug}/expenses/{expense_id}", response=ExpenseOut, summary="Lire une dépense"
)
def expense_read(request: HttpRequest, slug: str, expense_id: int) -> Any:
    return selectors.expense_get(partnership=_partnership(request, slug), expense_id=expense_id)


_STEPS = {
    "check": (Perm.EXPENSE_CHECK, services.expense_check),
    "approve": (Perm.EXPENSE_APPROVE, services.expense_approve),
    "pay": (Perm.EXPENSE_PAY, services.expense_pay),
}


def _step(request: HttpRequest, slug: str, expense_id: int, step: str) -> Any:
    perm, service = _STEPS[step]
    partnership = _partnership(request, slug, perm)
    expense = selectors.expense_get(partnership=partnership, expense_id=expense_id)
    service(by=request.user, expense=expense)
    return selectors.expense_get(partnership=partnership, expense_id=expense_id)


@router.post(
    "/partnerships/{slug}/expenses/{expense_id}/check", response=ExpenseOut,
    summary="Vérifier une dépense",
)  # fmt: skip
def expense_check(request: HttpRequest, slug: str, expense_id: int) -> Any:
    return _step(request, slug, expense_id, "check")


@router.post(
    "/partnerships/{slug}/expenses/{expense_id}/approve", response=ExpenseOut,
    summary="Approuver une dépense (trésorier ; jamais la sienne ; plafond de la ligne)",
)  # fmt: skip
def expense_approve(request: HttpRequest, slug: str, expense_id: int) -> Any:
    return _step(request, slug, expense_id, "approve")


@router.post(
    "/partnerships/{slug}/expenses/{expense_id}/pay", response=ExpenseOut,
    summary="Enregistrer le paiement d'une dépense",
)  # fmt: skip
def expense_pay(request: HttpRequest, slug: str, expense_id: int) -> Any:
    return _step(request, slug, expense_id, "pay")


@router.post(
    "/partnerships/{slug}/expenses/{expense_id}/reverse", response={201: ExpenseOut},
    summary="Annuler une dépense approuvée par une écriture de sens opposé",
)  # fmt: skip
def expense_reverse(request: HttpRequest, slug: str, expense_id: int, payload: ReverseIn) -> Any:
    partnership = _partnership(request, slug, Perm.EXPENSE_APPROVE)
    expense = selectors.expense_get(partnership=partnership, expense_id=expense_id)
    reversal = services.expense_reverse(by=request.user, expense=expense, reason=payload.reason)
    return Status(201, selectors.expense_get(partnership=partnership, expense_id=reversal.pk))


def _row(row: selectors.BudgetRow) -> dict[str, Any]:
    t = row.totals
    return {
        "key": row.key, "code": row.code, "label": row.label, "category": row.category,
        "partner": row.partner,
        "totals": {"planned": t.planned, "committed": t.committed, "spent": t.spent,
                   "remaining": t.remaining, "rate_percent": t.rate_percent},
    }  # fmt: skip


@router.get("/partnerships/{slug}/budget", response=BudgetOut, summary="Budget et réalisé")
def budget(request: HttpRequest, slug: str, year: Year | None = None) -> Any:
    summary = selectors.budget_summary_get(partnership=_partnership(request, slug), year=year)
    total = _row(selectors.BudgetRow("total", "total", summary.total))["totals"]
    return {
        "plan_version_id": summary.version.pk if summary.version else None,
        "currency": summary.currency, "year": summary.year,
        "tolerance": str(summary.tolerance), "total": total, "received": summary.received,
        "surplus": summary.surplus, "expense_count": summary.expense_count,
        "activities": [_row(r) for r in summary.activities],
        "lines": [_row(r) for r in summary.lines],
        "categories": [_row(r) for r in summary.categories],
        "partners": [_row(r) for r in summary.partners],
        "by_year": [_row(r) for r in summary.by_year],
        "overrun_line_ids": [r.line_id for r in summary.overruns if r.line_id],
    }  # fmt: skip
