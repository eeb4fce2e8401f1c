"""API: action plans, their versions, objectives, activities and budget lines.

Mounted at ``/api/planning``. Every route is under a partnership
(``/partnerships/{slug}/...``): reads need ``plan.view`` (404 when the partnership is not
visible), writes go through the same services as the pages (``plan.change``). Errors are
RFC 9457 problem JSON. ``GET /partnerships/{slug}/plan-in-force?date=`` gives the version
in force on a date (what finance charges expenses to).
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Status

from sharaka.core.access import Perm
from sharaka.core.bounds import BoundedDate, Id, PatchSchema, Year
from sharaka.core.errors import NotFound, ValidationFailed
from sharaka.core.schemas import Schema
from sharaka.directory.models import Organization, Person
from sharaka.meetings.models import Decision
from sharaka.planning import selectors, services
from sharaka.planning.models import (
    ActionPlan,
    Activity,
    ActivityStatus,
    BudgetCategory,
    BudgetLine,
    PlanVersion,
    VersionStatus,
)

router = Router(tags=["planning"])


# --- Schemas ---------------------------------------------------------------------------------


class PlanVersionSummaryOut(Schema):
    id: int
    number: int
    status: VersionStatus
    based_on_id: int | None
    note: str
    decision_id: int | None
    decision_number: str | None = None
    adopted_on: dt.date | None
    superseded_on: dt.date | None

    @staticmethod
    def resolve_decision_number(obj: PlanVersion | dict[str, Any]) -> str | None:
        if isinstance(obj, dict):
            number: str | None = obj.get("decision_number")
            return number
        return obj.decision.number if obj.decision_id and obj.decision else None


class PlanOut(Schema):
    id: int
    title: str
    period_start: dt.date
    period_end: dt.date
    currency: str
    versions: list[PlanVersionSummaryOut]


class AmountOut(Schema):
    year: int
    amount: Decimal


class LineOut(Schema):
    id: int
    activity_id: int
    category: BudgetCategory
    label: str
    amounts: list[AmountOut]
    total: Decimal

    @staticmethod
    def resolve_amounts(obj: BudgetLine) -> list[Any]:
        return sorted(obj.amounts.all(), key=lambda a: a.year)


class ActivityOut(Schema):
    id: int
    version_id: int
    objective_id: int
    code: str
    title: str
    description: str
    responsible_organization_id: int | None
    responsible_person_id: int | None
    start_date: dt.date
    end_date: dt.date
    deliverables: str
    status: ActivityStatus
    progress: int
    lines: list[LineOut]


class ObjectiveOut(Schema):
    id: int
    version_id: int
    code: str
    title: str
    position: int


class PlanVersionOut(PlanVersionSummaryOut):
    plan_id: int
    objectives: list[ObjectiveOut]
    activities: list[ActivityOut]


class PlanIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    period_start: BoundedDate
    period_end: BoundedDate
    note: str = ""


class PlanPatch(PatchSchema):
    title: str | None = Field(None, min_length=1, max_length=200)
    period_start: BoundedDate | None = None
    period_end: BoundedDate | None = None


class ObjectiveIn(Schema):
    code: str = Field("", max_length=12)
    title: str = Field(..., min_length=1, max_length=300)
    position: int | None = Field(None, ge=1, le=999)


class ObjectivePatch(PatchSchema):
    code: str | None = Field(None, max_length=12)
    title: str | None = Field(None, min_length=1, max_length=300)
    position: int | None = Field(None, ge=1, le=999)


class ActivityIn(Schema):
    objective_id: Id
    code: str = Field(..., min_length=1, max_length=16)
    title: str = Field(..., min_length=1, max_length=300)
    description: str = ""
    responsible_organization_id: Id | None = None
    responsible_person_id: Id | None = None
    start_date: BoundedDate
    end_date: BoundedDate
    deliverables: str = ""
    status: ActivityStatus = ActivityStatus.PLANNED
    progress: int = Field(0, ge=0, le=100)


class ActivityPatch(PatchSchema):
    nullable = frozenset({"responsible_organization_id", "responsible_person_id"})

    objective_id: Id | None = None
    code: str | None = Field(None, min_length=1, max_length=16)
    title: str | None = Field(None, min_length=1, max_length=300)
    description: str | None = None
    responsible_organization_id: Id | None = None
    responsible_person_id: Id | None = None
    start_date: BoundedDate | None = None
    end_date: BoundedDate | None = None
    deliverables: str | None = None
    status: ActivityStatus | None = None
    progress: int | None = Field(None, ge=0, le=100)


class AmountIn(Schema):
    year: Year
    amount: Decimal = Field(..., ge=0, max_digits=14, decimal_places=2)


class LineIn(Schema):
    category: BudgetCategory
    label: str = Field("", max_length=200)
    amounts: list[AmountIn] = []


class LinePatch(PatchSchema):
    category: BudgetCategory | None = None
    label: str | None = Field(None, max_length=200)
    amounts: list[AmountIn] | None = None


class AdoptIn(Schema):
    decision_id: Id


class ReviseIn(Schema):
    note: str = ""


class ProgressIn(Schema):
    status: ActivityStatus
    progress: int = Field(..., ge=0, le=100)


class PlanAtDate(Schema):
    date: BoundedDate | None = None


# --- Helpers ---------------------------------------------------------------------------------


def _partnership(request: HttpRequest, slug: str) -> Any:
    return selectors.partnership_get(user=request.user, slug=slug, perm=Perm.PLAN_VIEW)


def _version_out(version: PlanVersion) -> dict[str, Any]:
    activities = selectors.activity_list(version=version)
    return {
        "id": version.pk,
        "number": version.number,
        "status": version.status,
        "based_on_id": version.based_on_id,
        "note": version.note,
        "decision_id": version.decision_id,
        "decision_number": version.decision.number if version.decision else None,
        "adopted_on": version.adopted_on,
        "superseded_on": version.superseded_on,
        "plan_id": version.plan_id,
        "objectives": list(version.objectives.order_by("position", "pk")),
        "activities": activities,
    }


def _plan(partnership: Any, plan_id: int) -> ActionPlan:
    plan = selectors.plan_get(partnership=partnership, plan_id=plan_id)
    return ActionPlan.objects.prefetch_related("versions__decision").get(pk=plan.pk)


def _references(data: dict[str, Any], version: PlanVersion) -> dict[str, Any]:
    if "objective_id" in data:
        objective_id = data.pop("objective_id")
        if objective_id is not None:
            objective = version.objectives.filter(pk=objective_id).first()
            if objective is None:
                raise ValidationFailed(
                    "Objectif inconnu dans cette version.",
                    {"objective_id": ["Objectif inconnu dans cette version."]},
                )
            data["objective"] = objective
    if "responsible_organization_id" in data:
        pk = data.pop("responsible_organization_id")
        data["responsible_organization"] = (
            Organization.objects.filter(pk=pk).first() if pk is not None else None
        )
    if "responsible_person_id" in data:
        pk = data.pop("responsible_person_id")
        data["responsible_person"] = Person.objects.filter(pk=pk).first() if pk else None
    return {k: (str(v) if hasattr(v, "value") else v) for k, v in data.items()}


def _amounts(items: list[AmountIn] | None) -> dict[int, Any] | None:
    if items is None:
        return None
    return {item.year: item.amount for item in items}


# --- Routes ----------------------------------------------------------------------------------


@router.get("/partnerships/{slug}/plans", response=list[PlanOut], summary="Lister les plans")
def list_plans(request: HttpRequest, slug: str) -> list[ActionPlan]:
    return selectors.plan_list(partnership=_partnership(request, slug))


@router.post("/partnerships/{slug}/plans", response={201: PlanOut}, summary="Créer un plan")
def create_plan(request: HttpRequest, slug: str, payload: PlanIn) -> Status[ActionPlan]:
    partnership = _partnership(request, slug)
    data = payload.model_dump()
    note = data.pop("note")
    plan = services.plan_create(by=request.user, partnership=partnership, fields=data, note=note)
    return Status(201, _plan(partnership, plan.pk))


@router.get(
    "/partnerships/{slug}/plan-in-force",
    response=PlanVersionOut,
    summary="Version du plan en vigueur à une date (par défaut aujourd'hui)",
)
def plan_in_force(request: HttpRequest, slug: str, query: Query[PlanAtDate]) -> dict[str, Any]:
    partnership = _partnership(request, slug)
    version = selectors.plan_in_force_get(partnership=partnership, at=query.date)
    if version is None:
        raise NotFound("Aucune version adoptée du plan n'est en vigueur à cette date.")
    return _version_out(version)


@router.get("/partnerships/{slug}/plans/{plan_id}", response=PlanOut, summary="Lire un plan")
def get_plan(request: HttpRequest, slug: str, plan_id: int) -> ActionPlan:
    return _plan(_partnership(request, slug), plan_id)


@router.patch("/partnerships/{slug}/plans/{plan_id}", response=PlanOut, summary="Modifier un plan")
def update_plan(request: HttpRequest, slug: str, plan_id: int, payload: PlanPatch) -> ActionPlan:
    partnership = _partnership(request, slug)
    plan = selectors.plan_get(partnership=partnership, plan_id=plan_id)
    services.plan_update(by=request.user, plan=plan, fields=payload.model_dump(exclude_unset=True))
    return _plan(partnership, plan_id)


@router.get(
    "/partnerships/{slug}/versions/{version_id}",
    response=PlanVersionOut,
    summary="Lire une version",
)
def get_version(request: HttpRequest, slug: str, version_id: int) -> dict[str, Any]:
    partnership = _partnership(request, slug)
    return _version_out(selectors.version_by_id(partnership=partnership, version_id=version_id))


@router.post(
    "/partnerships/{slug}/versions/{version_id}/adopt",
    response=PlanVersionOut,
    summary="Enregistrer l'adoption d'une version par une décision du conseil",
)
def adopt_version(
    request: HttpRequest, slug: str, version_id: int, payload: AdoptIn
) -> dict[str, Any]:
    partnership = _partnership(request, slug)
    version = selectors.version_by_id(partnership=partnership, version_id=version_id)
    decision = Decision.objects.filter(pk=payload.decision_id).first()
    if decision is None:
        raise NotFound("Décision introuvable.")
    services.plan_version_adopt(by=request.user, version=version, decision=decision)
    return _version_out(selectors.version_by_id(partnership=partnership, version_id=version_id))


@router.post(
    "/partnerships/{slug}/versions/{version_id}/revise",
    response={201: PlanVersionOut},
    summary="Préparer une révision de la version en vigueur (nouveau projet)",
)
def revise_version(request: HttpRequest, slug: str, version_id: int, payload: ReviseIn) -> Any:
    partnership = _partnership(request, slug)
    version = selectors.version_by_id(partnership=partnership, version_id=version_id)
    draft = services.plan_version_revise(by=request.user, version=version, note=payload.note)
    return Status(201, _version_out(selectors.version_by_id(partnership=partnership,
                                                            version_id=draft.pk)))  # fmt: skip


@router.post(
    "/partnerships/{slug}/versions/{version_id}/objectives",
    response={201: ObjectiveOut},
    summary="Ajouter un objectif à un projet",
)
def create_objective(request: HttpRequest, slug: str, version_id: int, payload: ObjectiveIn) -> Any:
    partnership = _partnership(request, slug)
    version = selectors.version_by_id(partnership=partnership, version_id=version_id)
    fields = payload.model_dump(exclude_none=True)
    return Status(201, services.objective_create(by=request.user, version=version, fields=fields))


@router.patch(
    "/partnerships/{slug}/objectives/{pk}", response=ObjectiveOut, summary="Modifier un objectif"
)
def update_objective(request: HttpRequest, slug: str, pk: int, payload: ObjectivePatch) -> Any:
    partnership = _partnership(request, slug)
    objective = selectors.objective_get(partnership=partnership, pk=pk)
    return services.objective_update(
        by=request.user, objective=objective, fields=payload.model_dump(exclude_unset=True)
    )


@router.get(
    "/partnerships/{slug}/versions/{version_id}/activities",
    response=list[ActivityOut],
    summary="Lister les activités d'une version",
)
def list_activities(request: HttpRequest, slug: str, version_id: int) -> list[Activity]:
    partnership = _partnership(request, slug)
    version = selectors.version_by_id(partnership=partnership, version_id=version_id)
    return selectors.activity_list(version=version)


@router.post(
    "/partnerships/{slug}/versions/{version_id}/activities",
    response={201: ActivityOut},
    summary="Ajouter une activité à un projet",
)
def create_activity(request: HttpRequest, slug: str, version_id: int, payload: ActivityIn) -> Any:
    partnership = _partnership(request, slug)
    version = selectors.version_by_id(partnership=partnership, version_id=version_id)
    fields = _references(payload.model_dump(), version)
    activity = services.activity_create(by=request.user, version=version, fields=fields)
    return Status(201, activity)


@router.get(
    "/partnerships/{slug}/activities/{pk}", response=ActivityOut, summary="Lire une activité"
)
def get_activity(request: HttpRequest, slug: str, pk: int) -> Activity:
    return selectors.activity_get(partnership=_partnership(request, slug), pk=pk)


@router.patch(
    "/partnerships/{slug}/activities/{pk}",
    response=ActivityOut,
    summary="Modifier une activité d'un projet",
)
def update_activity(request: HttpRequest, slug: str, pk: int, payload: ActivityPatch) -> Any:
    partnership = _partnership(request, slug)
    activity = selectors.activity_get(partnership=partnership, pk=pk)
    fields = _references(payload.model_dump(exclude_unset=True), activity.version)
    services.activity_update(by=request.user, activity=activity, fields=fields)
    return selectors.activity_get(partnership=partnership, pk=pk)


@router.post(
    "/partnerships/{slug}/activities/{pk}/progress",
    response=ActivityOut,
    summary="Enregistrer l'état et l'avancement d'une activité (suivi d'exécution)",
)
def record_progress(request: HttpRequest, slug: str, pk: int, payload: ProgressIn) -> Any:
    partnership = _partnership(request, slug)
    activity = selectors.activity_get(partnership=partnership, pk=pk)
    services.activity_progress_record(
        by=request.user, activity=activity, status=str(payload.status), progress=payload.progress
    )
    return selectors.activity_get(partnership=partnership, pk=pk)


@router.get(
    "/partnerships/{slug}/activities/{pk}/lines",
    response=list[LineOut],
    summary="Lister les lignes budgétaires d'une activité",
)
def list_lines(request: HttpRequest, slug: str, pk: int) -> list[BudgetLine]:
    activity = selectors.activity_get(partnership=_partnership(request, slug), pk=pk)
    return list(activity.lines.prefetch_related("amounts").order_by("category", "label", "pk"))


@router.post(
    "/partnerships/{slug}/activities/{pk}/lines",
    response={201: LineOut},
    summary="Ajouter une ligne budgétaire à une activité",
)
def create_line(request: HttpRequest, slug: str, pk: int, payload: LineIn) -> Any:
    partnership = _partnership(request, slug)
    activity = selectors.activity_get(partnership=partnership, pk=pk)
    line = services.budget_line_create(
        by=request.user, activity=activity,
        fields={"category": str(payload.category), "label": payload.label},
        amounts=_amounts(payload.amounts) or {},
    )  # fmt: skip
    return Status(201, selectors.line_get(partnership=partnership, pk=line.pk))


@router.get(
    "/partnerships/{slug}/lines/{pk}", response=LineOut, summary="Lire une ligne budgétaire"
)
def get_line(request: HttpRequest, slug: str, pk: int) -> BudgetLine:
    return selectors.line_get(partnership=_partnership(request, slug), pk=pk)


@router.patch(
    "/partnerships/{slug}/lines/{pk}", response=LineOut, summary="Modifier une ligne budgétaire"
)
def update_line(request: HttpRequest, slug: str, pk: int, payload: LinePatch) -> BudgetLine:
    partnership = _partnership(request, slug)
    line = selectors.line_get(partnership=partnership, pk=pk)
    data = payload.model_dump(exclude_unset=True)
    amounts = _amounts(payload.amounts) if "amounts" in data else None
    data.pop("amounts", None)
    fields = {k: (str(v) if v is not None else v) for k, v in data.items()}
    services.budget_line_update(by=request.user, line=line, fields=fields, amounts=amounts)
    return selectors.line_get(partnership=partnership, pk=pk)
