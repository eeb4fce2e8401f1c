"""API: a partnership's closure, read-only (issue 17).

Mounted at ``/api/closure``. ``GET /partnerships/{slug}`` gives the termination (ground,
notice, effective date), the wind-down checklist with each item's state and disposition, and
the final accounts with their sharing (exact to the cent, as ``sharaka rules allocate``
computes them). Reads need ``closure.view`` (404 when the partnership is not visible, 403
when it is but the right is missing). The closure is written through its pages; the archive
is a download of the closure page (``…/cloture/archive.zip``).
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Router

from sharaka.closure import selectors
from sharaka.core.schemas import Schema

router = Router(tags=["closure"])


class ClosureTerminationOut(Schema):
    ground: str
    notice_on: dt.date | None
    notice_days: int
    effective_date: dt.date
    party: str | None
    decision: str | None
    reason: str


class ClosureItemOut(Schema):
    id: int
    position: int
    kind: str
    subject: str
    owner: str | None
    status: str
    disposition: str
    notes: str
    closed_at: dt.datetime | None


class ClosureShareOut(Schema):
    organization_id: int
    name: str
    key: str
    amount: Decimal


class ClosureAccountsOut(Schema):
    currency: str
    received: Decimal
    spent: Decimal
    balance: Decimal
    method: str
    key_source: str
    approved: bool
    shares: list[ClosureShareOut]


class ClosureOut(Schema):
    partnership: str
    status: str
    convention_end: dt.date | None
    termination: ClosureTerminationOut | None
    open_items: int
    items: list[ClosureItemOut]
    accounts: ClosureAccountsOut | None


def _termination(view: selectors.ClosureView) -> dict[str, Any] | None:
    t = view.termination
    if t is None:
        return None
    return {
        "ground": t.ground, "notice_on": t.notice_on, "notice_days": t.notice_days,
        "effective_date": t.effective_date,
        "party": t.party.name if t.party else None,
        "decision": t.decision.number if t.decision else None, "reason": t.reason,
    }  # fmt: skip


def _accounts(view: selectors.ClosureView) -> dict[str, Any] | None:
    a = view.accounts
    if a is None:
        return None
    return {
        "currency": a.currency, "received": a.received, "spent": a.spent,
        "balance": a.balance, "method": a.method, "key_source": a.key_source,
        "approved": a.approved is not None,
        "shares": [{"organization_id": s.organization_id, "name": s.name, "key": s.key,
                    "amount": s.amount} for s in a.shares],
    }  # fmt: skip


@router.get(
    "/partnerships/{slug}",
    response=ClosureOut,
    summary="Fin du partenariat : résiliation, liste de liquidation, comptes de clôture",
)
def get_closure(request: HttpRequest, slug: str) -> Any:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    view = selectors.closure_view_get(user=request.user, partnership=partnership)
    return {
        "partnership": partnership.slug, "status": partnership.status,
        "convention_end": view.convention_end, "termination": _termination(view),
        "open_items": view.open_items,
        "items": [{"id": i.pk, "position": i.position, "kind": i.kind, "subject": i.subject,
                   "owner": i.owner.name if i.owner else None, "status": i.status,
                   "disposition": i.disposition, "notes": i.notes, "closed_at": i.closed_at}
                  for i in view.items],
        "accounts": _accounts(view),
    }  # fmt: skip
