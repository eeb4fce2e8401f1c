"""API: a partnership's audit plan, pre-audit checks, engagements, findings and
recommendations with their follow-up (issue 15).

Mounted at ``/api/audit``. Reads need ``audit.view`` (404 when the partnership is not
visible, 403 for a reader without it, such as a board member); an auditor's grant is
time-bound, so after the engagement the auditor gets 404 like a stranger. Lists are
key-paged by id (``?after=`` the ``next_after`` of the previous page). Running the checks
needs ``audit.run`` (a write token). Schemas are named ``Audit…`` so that none replaces
another app's in the OpenAPI document; states are plain strings (their values are listed
in each field's description).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Status

from sharaka.audit import dashboard, plan_rules, selectors, tasks
from sharaka.audit.models import (
    Audit,
    AuditFinding,
    CheckFinding,
    CheckRun,
    FollowUp,
    Recommendation,
)
from sharaka.core.access import Perm
from sharaka.core.bounds import Id
from sharaka.core.errors import NotFound
from sharaka.core.schemas import Schema
from sharaka.partnerships.models import Partnership

router = Router(tags=["audit"])

#: Rows per page of every list.
API_PAGE = 100

_AUDIT_STATUS = "due, planned, in_progress, reported, closed"
_SEVERITY = "low, medium, high, critical"
_REC_STATUS = "open, in_progress, done, not_accepted (verified: checked by the auditor)"


class AuditPlanItemOut(Schema):
    id: int
    kind: str = Field(..., description="financial, audit")
    status: str = Field(..., description=_AUDIT_STATUS)
    period_start: dt.date
    period_end: dt.date
    due_on: dt.date
    overdue: bool
    auditor_kind: str = Field(..., description="external, public_body, internal or empty")
    auditor_name: str
    parties: str
    auditor_id: int | None
    starts_on: dt.date | None
    ends_on: dt.date | None
    reported_at: dt.datetime | None

    @staticmethod
    def resolve_overdue(obj: Audit) -> bool:
        return plan_rules.is_overdue(obj.status, obj.due_on, timezone.localdate())


class AuditEngagementOut(AuditPlanItemOut):
    scope: str
    sample_method: str = Field(..., description="simple, amount_weighted or empty")
    sample_seed: int | None
    sample_population: int | None
    sample: list[int] = Field(..., description="ids of the sampled expenses")
    sample_drawn_at: dt.datetime | None


class AuditPlanPage(Schema):
    items: list[AuditPlanItemOut]
    next_after: int | None


class AuditEngagementPage(Schema):
    items: list[AuditEngagementOut]
    next_after: int | None


class AuditFindingOut(Schema):
    id: int
    audit_id: int
    number: int
    title: str
    severity: str = Field(..., description=_SEVERITY)
    criterion: str
    condition: str
    cause: str
    effect: str
    responsible: str
    expense_ids: list[int]
    recorded_at: dt.datetime
    recorded_by_id: int | None
    open: bool = Field(..., description="a recommendation is awaited, or none and not closed")

    @staticmethod
    def resolve_expense_ids(obj: AuditFinding) -> list[int]:
        return [int(pk) for pk in obj.expenses]


class AuditFindingPage(Schema):
    items: list[AuditFindingOut]
    next_after: int | None


class AuditFollowUpOut(Schema):
    id: int
    text: str
    status: str = Field(..., description=_REC_STATUS)
    recorded_at: dt.datetime
    recorded_by_id: int | None


class AuditRecommendationOut(Schema):
    id: int
    audit_id: int
    finding_id: int
    number: int
    text: str
    owner: str
    due_on: dt.date
    status: str = Field(..., description=_REC_STATUS)
    overdue: bool
    agenda_item_id: int | None
    created_at: dt.datetime
    follow_ups: list[AuditFollowUpOut]

    @staticmethod
    def resolve_overdue(obj: Recommendation) -> bool:
        return plan_rules.recommendation_overdue(obj.status, obj.due_on, timezone.localdate())

    @staticmethod
    def resolve_follow_ups(obj: Recommendation) -> list[Any]:
        return list(obj.follow_ups.all())


class AuditRecommendationPage(Schema):
    items: list[AuditRecommendationOut]
    next_after: int | None


class AuditCheckRunOut(Schema):
    id: int
    started_at: dt.datetime
    duration_ms: int
    trigger: str = Field(..., description="user, scheduler, command")
    finding_count: int
    counts: dict[str, int] = Field(..., description="check code -> number of findings")
    errors: dict[str, str] = Field(..., description="check code -> why it failed")


class AuditCheckRecordOut(Schema):
    type: str = Field(..., description="expense, budget_line, contribution, …")
    id: int


class AuditCheckFindingOut(Schema):
    id: int
    code: str
    severity: str = Field(..., description=_SEVERITY)
    title: str
    message: str
    reference: str
    records: list[AuditCheckRecordOut]

    @staticmethod
    def resolve_title(obj: CheckFinding) -> str:
        return selectors.check_title(obj.code)

    @staticmethod
    def resolve_message(obj: CheckFinding) -> str:
        return selectors.finding_message(obj.code, obj.params)

    @staticmethod
    def resolve_reference(obj: CheckFinding) -> str:
        return selectors.check_reference(obj.code)

    @staticmethod
    def resolve_records(obj: CheckFinding) -> list[dict[str, Any]]:
        return [
            {"type": str(r.get("type", "")), "id": int(r.get("id", 0))}
            for r in obj.records
            if isinstance(r, dict)
        ]


class AuditCheckPage(Schema):
    run: AuditCheckRunOut | None = Field(..., description="the last run (none yet: null)")
    items: list[AuditCheckFindingOut]
    next_after: int | None


class AuditCheckQueuedOut(Schema):
    queued: bool = Field(..., description="the run is on the task queue (large partnership)")


def _partnership(request: HttpRequest, slug: str, perm: Perm = Perm.AUDIT_VIEW) -> Partnership:
    return selectors.partnership_get(user=request.user, slug=slug, perm=perm)


def _page(rows: QuerySet[Any], after: int | None) -> dict[str, Any]:
    found = list(rows.filter(pk__gt=after or 0).order_by("pk")[: API_PAGE + 1])
    more = len(found) > API_PAGE
    found = found[:API_PAGE]
    return {"items": found, "next_after": found[-1].pk if more else None}


@router.get(
    "/partnerships/{slug}/plan",
    response=AuditPlanPage,
    summary="Plan d'audit : les audits prévus et leur état",
)
def list_plan(request: HttpRequest, slug: str, after: Id | None = None) -> Any:
    return _page(Audit.objects.filter(partnership=_partnership(request, slug)), after)


@router.get(
    "/partnerships/{slug}/engagements",
    response=AuditEngagementPage,
    summary="Missions d'audit : auditeur, période, échantillon",
)
def list_engagements(request: HttpRequest, slug: str, after: Id | None = None) -> Any:
    partnership = _partnership(request, slug)
    return _page(Audit.objects.filter(partnership=partnership, auditor__isnull=False), after)


@router.get(
    "/partnerships/{slug}/engagements/{pk}",
    response=AuditEngagementOut,
    summary="Une mission d'audit",
)
def get_engagement(request: HttpRequest, slug: str, pk: Id) -> Any:
    partnership = _partnership(request, slug)
    found = Audit.objects.filter(partnership=partnership, pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def _open() -> Exists:
    return Exists(AuditFinding.objects.filter(dashboard.open_findings_filter(), pk=OuterRef("pk")))


@router.get(
    "/partnerships/{slug}/findings",
    response=AuditFindingPage,
    summary="Constats d'audit (critère, constat, cause, effet)",
)
def list_findings(
    request: HttpRequest, slug: str, after: Id | None = None, engagement: Id | None = None
) -> Any:
    rows = AuditFinding.objects.filter(audit__partnership=_partnership(request, slug))
    if engagement is not None:
        rows = rows.filter(audit_id=engagement)
    return _page(rows.annotate(open=_open()), after)


@router.get(
    "/partnerships/{slug}/recommendations",
    response=AuditRecommendationPage,
    summary="Recommandations d'audit et leur suivi",
)
def list_recommendations(request: HttpRequest, slug: str, after: Id | None = None) -> Any:
    follow_ups = FollowUp.objects.order_by("recorded_at", "id")
    rows = Recommendation.objects.filter(partnership=_partnership(request, slug)).prefetch_related(
        Prefetch("follow_ups", queryset=follow_ups)
    )
    return _page(rows, after)


@router.get(
    "/partnerships/{slug}/checks",
    response=AuditCheckPage,
    summary="Contrôles pré-audit : le dernier passage et ses constats",
)
def list_checks(request: HttpRequest, slug: str, after: Id | None = None) -> Any:
    run = selectors.run_latest(partnership=_partnership(request, slug))
    if run is None:
        return {"run": None, "items": [], "next_after": None}
    return {"run": run, **_page(CheckFinding.objects.filter(run=run), after)}


@router.post(
    "/partnerships/{slug}/checks",
    response={201: AuditCheckRunOut, 202: AuditCheckQueuedOut},
    summary="Lancer les contrôles pré-audit",
)
def run_checks(request: HttpRequest, slug: str) -> Any:
    partnership = _partnership(request, slug, Perm.AUDIT_RUN)
    run: CheckRun | None = tasks.check_run_request(by=request.user, partnership=partnership)
    if run is None:
        return Status(202, {"queued": True})
    return Status(201, run)
