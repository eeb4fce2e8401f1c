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
from ninja.pagination import paginate

from sharaka.core.access import Perm
from sharaka.core.bounds import BoundedDate, BoundedPageNumberPagination, Id, PatchSchema, Year
from sharaka.core.errors import NotFound
from sharaka.core.pagination import DeferredRows
from sharaka.core.schemas import Schema
from sharaka.directory.models import Organization
from sharaka.finance import selectors, services
from sharaka.finance.budget import BudgetRow
from sharaka.finance.models import (
    ContributionKind,
    Expense,
    ExpenseStatus,
    InKindType,
    ValuationMethod,
)

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
    confirm_duplicate: bool = Field(
        default=False,
        description="Enregistrer même si une dépense du même fournisseur, de même référence et "
        "de même montant existe déjà (sinon 409 expense_duplicate, qui la nomme).",
    )


class ExpensePatch(PatchSchema):
    """Only the fields sent change; the expense is controlled again as a whole."""

    date: BoundedDate | None = None
    amount: Decimal | None = Field(None, gt=0, max_digits=14, decimal_places=2)
    currency: str | None = Field(None, max_length=3)
    supplier: str | None = Field(None, min_length=1, max_length=200)
    reference: str | None = Field(None, max_length=100)
    activity_id: Id | None = None
    line_id: Id | None = None
    description: str | None = Field(None, max_length=500)
    confirm_duplicate: bool = False


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


@router.delete(
    "/partnerships/{slug}/contributions/{contribution_id}", response={204: None},
    summary="Supprimer une contribution (l'historique la garde)",
)  # fmt: skip
def contribution_delete(request: HttpRequest, slug: str, contribution_id: int) -> Any:
    partnership = _partnership(request, slug, Perm.CONTRIBUTION_CHANGE)
    contribution = selectors.contribution_get(
        partnership=partnership, contribution_id=contribution_id
    )
    services.contribution_delete(by=request.user, contribution=contribution)
    return Status(204, None)


@router.get(
    "/partnerships/{slug}/expenses", response=list[ExpenseOut],
    summary="Lister les dépenses (par pages, les plus récentes d'abord)",
)  # fmt: skip
@paginate(BoundedPageNumberPagination, page_size=100)
def expense_list(request: HttpRequest, slug: str, filters: Query[ExpenseFilters]) -> Any:
    partnership = _partnership(request, slug)
    return DeferredRows(
        selectors.expense_list(
            partnership=partnership,
            status=filters.status or "",
            activity=filters.activity or "",
            year=filters.year,
            missing_document=filters.missing_document,
        )
    )


@router.post(
    "/partnerships/{slug}/expenses", response={201: ExpenseOut},
    summary="Enregistrer une dépense (contrôlée contre le plan en vigueur)",
)  # fmt: skip
def expense_create(request: HttpRequest, slug: str, payload: ExpenseIn) -> Any:
    partnership = _partnership(request, slug, Perm.EXPENSE_RECORD)
    expense = services.expense_record(
        by=request.user, partnership=partnership, fields=_expense_fields(partnership, payload),
        confirm_duplicate=payload.confirm_duplicate,
    )  # fmt: skip
    return Status(201, selectors.expense_get(partnership=partnership, expense_id=expense.pk))


def _expense_fields(partnership: Any, payload: Schema) -> dict[str, Any]:
    """The services' ``fields`` from an expense sent whole or in part: the activity and the
    line named by id (404 outside the partnership), an empty currency left out."""
    data = payload.model_dump(exclude_unset=isinstance(payload, ExpensePatch))
    data.pop("confirm_duplicate", None)
    refs = selectors.plan_refs_get(
        partnership=partnership,
        activity_id=data.pop("activity_id", None),
        line_id=data.pop("line_id", None),
    )
    if not data.get("currency", "x"):
        data.pop("currency")
    return data | refs


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


@router.patch(
    "/partnerships/{slug}/expenses/{expense_id}", response=ExpenseOut,
    summary="Corriger une dépense pas encore approuvée (une dépense vérifiée l'est à nouveau)",
)  # fmt: skip
def expense_update(request: HttpRequest, slug: str, expense_id: int, payload: ExpensePatch) -> Any:
    partnership = _partnership(request, slug, Perm.EXPENSE_RECORD)
    expense = selectors.expense_get(partnership=partnership, expense_id=expense_id)
    services.expense_update(
        by=request.user, expense=expense, fields=_expense_fields(partnership, payload),
        confirm_duplicate=payload.confirm_duplicate,
    )  # fmt: skip
    return selectors.expense_get(partnership=partnership, expense_id=expense_id)


@router.delete(
    "/partnerships/{slug}/expenses/{expense_id}", response={204: None},
    summary="Supprimer une dépense pas encore approuvée (l'historique la garde)",
)  # fmt: skip
def expense_delete(request: HttpRequest, slug: str, expense_id: int) -> Any:
    partnership = _partnership(request, slug, Perm.EXPENSE_RECORD)
    expense = selectors.expense_get(partnership=partnership, expense_id=expense_id)
    services.expense_delete(by=request.user, expense=expense)
    return Status(204, None)


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


def _row(row: BudgetRow) -> dict[str, Any]:
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
    total = _row(BudgetRow("total", "total", summary.total))["totals"]
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
