"""API: management structure, staff register, delegations, assets register.

Mounted at ``/api/structure``. Every route is under a partnership
(``/partnerships/{slug}/...``): reads need ``structure.view`` (404 when the partnership is
not visible), writes go through the same services as the pages (``structure.change``).
Errors are RFC 9457 problem JSON.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Status

from sharaka.core.access import Perm
from sharaka.core.bounds import BoundedDate, Id, PatchSchema
from sharaka.core.errors import ValidationFailed
from sharaka.core.schemas import Schema
from sharaka.directory.models import Organization, Person
from sharaka.meetings.models import Decision
from sharaka.planning.models import Activity
from sharaka.structure import selectors, services
from sharaka.structure.models import (
    Asset,
    AssetCondition,
    AssetKind,
    Delegation,
    ManagementStructure,
    ReportingFrequency,
    StaffAssignment,
    StaffRole,
    StructureKind,
)

router = Router(tags=["structure"])


# --- Schemas ---------------------------------------------------------------------------------


class StructureOut(Schema):
    id: int
    kind: StructureKind
    description: str


class StructureIn(Schema):
    kind: StructureKind
    description: str = ""


class StaffOut(Schema):
    id: int
    person_id: int
    person: str
    gender: str
    role: StaffRole
    title: str
    origin_organization_id: int
    time_share: Decimal
    start_date: dt.date
    end_date: dt.date | None
    reports_to_id: int | None
    note: str

    @staticmethod
    def resolve_person(obj: StaffAssignment) -> str:
        return str(obj.person)

    @staticmethod
    def resolve_gender(obj: StaffAssignment) -> str:
        return obj.person.gender


class StaffIn(Schema):
    person_id: Id
    role: StaffRole
    title: str = Field("", max_length=150)
    origin_organization_id: Id
    time_share: Decimal = Field(..., gt=0, le=100, max_digits=5, decimal_places=2)
    start_date: BoundedDate
    end_date: BoundedDate | None = None
    reports_to_id: Id | None = None
    note: str = ""


class StaffPatch(PatchSchema):
    nullable = frozenset({"end_date", "reports_to_id"})

    role: StaffRole | None = None
    title: str | None = Field(None, max_length=150)
    origin_organization_id: Id | None = None
    time_share: Decimal | None = Field(None, gt=0, le=100, max_digits=5, decimal_places=2)
    start_date: BoundedDate | None = None
    end_date: BoundedDate | None = None
    reports_to_id: Id | None = None
    note: str | None = None


class DelegationOut(Schema):
    id: int
    delegate_id: int
    delegate: str
    decision_id: int
    decision_number: str
    scope: str
    activity_ids: list[int]
    activity_codes: list[str]
    start_date: dt.date
    end_date: dt.date | None
    reporting_duty: str
    reporting_frequency: ReportingFrequency

    @staticmethod
    def resolve_delegate(obj: Delegation) -> str:
        return obj.delegate.name

    @staticmethod
    def resolve_decision_number(obj: Delegation) -> str:
        return obj.decision.number

    @staticmethod
    def resolve_activity_ids(obj: Delegation) -> list[int]:
        return sorted(a.pk for a in obj.activities.all())

    @staticmethod
    def resolve_activity_codes(obj: Delegation) -> list[str]:
        return sorted(a.code for a in obj.activities.all())


class DelegationIn(Schema):
    delegate_id: Id
    decision_id: Id
    scope: str = Field(..., min_length=1)
    activity_ids: list[Id] = []
    start_date: BoundedDate
    end_date: BoundedDate | None = None
    reporting_duty: str = Field(..., min_length=1)
    reporting_frequency: ReportingFrequency = ReportingFrequency.QUARTERLY


class DelegationPatch(PatchSchema):
    nullable = frozenset({"end_date"})

    delegate_id: Id | None = None
    decision_id: Id | None = None
    scope: str | None = Field(None, min_length=1)
    activity_ids: list[Id] | None = None
    start_date: BoundedDate | None = None
    end_date: BoundedDate | None = None
    reporting_duty: str | None = Field(None, min_length=1)
    reporting_frequency: ReportingFrequency | None = None


class AssetOut(Schema):
    id: int
    kind: AssetKind
    name: str
    reference: str
    description: str
    owner_id: int
    provided_by_id: int
    value: Decimal
    currency: str
    location: str
    condition: AssetCondition
    acquired_on: dt.date | None
    documents: list[str]

    @staticmethod
    def resolve_documents(obj: Asset) -> list[str]:
        return [d.title for d in obj.documents.all()]


class AssetIn(Schema):
    kind: AssetKind
    name: str = Field(..., min_length=1, max_length=200)
    reference: str = Field("", max_length=60)
    description: str = ""
    owner_id: Id
    provided_by_id: Id
    value: Decimal = Field(..., ge=0, max_digits=14, decimal_places=2)
    location: str = Field("", max_length=200)
    condition: AssetCondition = AssetCondition.GOOD
    acquired_on: BoundedDate | None = None


class AssetPatch(PatchSchema):
    nullable = frozenset({"acquired_on"})

    kind: AssetKind | None = None
    name: str | None = Field(None, min_length=1, max_length=200)
    reference: str | None = Field(None, max_length=60)
    description: str | None = None
    owner_id: Id | None = None
    provided_by_id: Id | None = None
    value: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    location: str | None = Field(None, max_length=200)
    condition: AssetCondition | None = None
    acquired_on: BoundedDate | None = None


# --- Helpers ---------------------------------------------------------------------------------


def _partnership(request: HttpRequest, slug: str) -> Any:
    return selectors.partnership_get(user=request.user, slug=slug, perm=Perm.STRUCTURE_VIEW)


def _unknown(field: str) -> ValidationFailed:
    return ValidationFailed(f"{field} : introuvable.", {field: ["Introuvable."]})


def _resolve(data: dict[str, Any], partnership: Any) -> dict[str, Any]:
    """Turn ``*_id`` keys into objects (refusing unknown ids) and enums into values."""
    models: dict[str, Any] = {
        "person_id": Person.objects,
        "origin_organization_id": Organization.objects,
        "delegate_id": Organization.objects,
        "owner_id": Organization.objects,
        "provided_by_id": Organization.objects,
        "decision_id": Decision.objects,
        "reports_to_id": StaffAssignment.objects.filter(structure__partnership=partnership),
    }
    result: dict[str, Any] = {}
    for key, value in data.items():
        if key in models:
            name = key.removesuffix("_id")
            if value is None:
                result[name] = None
                continue
            obj = models[key].filter(pk=value).first()
            if obj is None:
                raise _unknown(key)
            result[name] = obj
        else:
            result[key] = str(value) if hasattr(value, "value") else value
    return result


def _activities(partnership: Any, ids: list[int] | None) -> list[Any] | None:
    if ids is None:
        return None
    found = list(
        Activity.objects.filter(pk__in=ids, version__plan__partnership=partnership).select_related(
            "version__plan"
        )
    )
    if len(found) != len(set(ids)):
        raise _unknown("activity_ids")
    return found


# --- Structure and staff ---------------------------------------------------------------------


@router.get("/partnerships/{slug}/structure", response=StructureOut, summary="Lire la structure")
def get_structure(request: HttpRequest, slug: str) -> ManagementStructure:
    return selectors.structure_require(partnership=_partnership(request, slug))


@router.put(
    "/partnerships/{slug}/structure",
    response=StructureOut,
    summary="Définir ou modifier la structure de gestion",
)
def set_structure(request: HttpRequest, slug: str, payload: StructureIn) -> ManagementStructure:
    partnership = _partnership(request, slug)
    return services.structure_set(
        by=request.user, partnership=partnership,
        fields={"kind": str(payload.kind), "description": payload.description},
    )  # fmt: skip


@router.get("/partnerships/{slug}/staff", response=list[StaffOut], summary="Registre du personnel")
def list_staff(request: HttpRequest, slug: str) -> list[StaffAssignment]:
    return selectors.staff_list(partnership=_partnership(request, slug))


@router.post(
    "/partnerships/{slug}/staff", response={201: StaffOut}, summary="Ajouter une affectation"
)
def create_staff(request: HttpRequest, slug: str, payload: StaffIn) -> Any:
    partnership = _partnership(request, slug)
    structure = selectors.structure_require(partnership=partnership)
    row = services.staff_add(
        by=request.user, structure=structure,
        fields=_resolve(payload.model_dump(), partnership),
    )  # fmt: skip
    return Status(201, selectors.staff_get(partnership=partnership, pk=row.pk))


@router.get("/partnerships/{slug}/staff/{pk}", response=StaffOut, summary="Lire une affectation")
def get_staff(request: HttpRequest, slug: str, pk: int) -> StaffAssignment:
    return selectors.staff_get(partnership=_partnership(request, slug), pk=pk)


@router.patch(
    "/partnerships/{slug}/staff/{pk}", response=StaffOut, summary="Modifier une affectation"
)
def update_staff(request: HttpRequest, slug: str, pk: int, payload: StaffPatch) -> Any:
    partnership = _partnership(request, slug)
    row = selectors.staff_get(partnership=partnership, pk=pk)
    services.staff_update(
        by=request.user, assignment=row,
        fields=_resolve(payload.model_dump(exclude_unset=True), partnership),
    )  # fmt: skip
    return selectors.staff_get(partnership=partnership, pk=pk)


# --- Delegations -----------------------------------------------------------------------------


@router.get(
    "/partnerships/{slug}/delegations",
    response=list[DelegationOut],
    summary="Lister les délégations",
)
def list_delegations(request: HttpRequest, slug: str) -> list[Delegation]:
    return selectors.delegation_list(partnership=_partnership(request, slug))


@router.post(
    "/partnerships/{slug}/delegations",
    response={201: DelegationOut},
    summary="Enregistrer une délégation décidée par le conseil",
)
def create_delegation(request: HttpRequest, slug: str, payload: DelegationIn) -> Any:
    partnership = _partnership(request, slug)
    data = payload.model_dump()
    activities = _activities(partnership, data.pop("activity_ids"))
    delegation = services.delegation_create(
        by=request.user, partnership=partnership, fields=_resolve(data, partnership),
        activities=activities or [],
    )  # fmt: skip
    return Status(201, _delegation(partnership, delegation.pk))


def _delegation(partnership: Any, pk: int) -> Delegation:
    return next(d for d in selectors.delegation_list(partnership=partnership) if d.pk == pk)


@router.get(
    "/partnerships/{slug}/delegations/{pk}", response=DelegationOut, summary="Lire une délégation"
)
def get_delegation(request: HttpRequest, slug: str, pk: int) -> Delegation:
    partnership = _partnership(request, slug)
    selectors.delegation_get(partnership=partnership, pk=pk)
    return _delegation(partnership, pk)


@router.patch(
    "/partnerships/{slug}/delegations/{pk}",
    response=DelegationOut,
    summary="Modifier une délégation",
)
def update_delegation(request: HttpRequest, slug: str, pk: int, payload: DelegationPatch) -> Any:
    partnership = _partnership(request, slug)
    delegation = selectors.delegation_get(partnership=partnership, pk=pk)
    data = payload.model_dump(exclude_unset=True)
    activities = _activities(partnership, data.pop("activity_ids", None))
    services.delegation_update(
        by=request.user, delegation=delegation, fields=_resolve(data, partnership),
        activities=activities,
    )  # fmt: skip
    return _delegation(partnership, pk)


# --- Assets ----------------------------------------------------------------------------------


@router.get("/partnerships/{slug}/assets", response=list[AssetOut], summary="Registre des biens")
def list_assets(request: HttpRequest, slug: str) -> list[Asset]:
    return selectors.asset_list(partnership=_partnership(request, slug))


@router.post("/partnerships/{slug}/assets", response={201: AssetOut}, summary="Ajouter un bien")
def create_asset(request: HttpRequest, slug: str, payload: AssetIn) -> Any:
    partnership = _partnership(request, slug)
    asset = services.asset_create(
        by=request.user, partnership=partnership,
        fields=_resolve(payload.model_dump(), partnership),
    )  # fmt: skip
    return Status(201, selectors.asset_get(partnership=partnership, pk=asset.pk))


@router.get("/partnerships/{slug}/assets/{pk}", response=AssetOut, summary="Lire un bien")
def get_asset(request: HttpRequest, slug: str, pk: int) -> Asset:
    return selectors.asset_get(partnership=_partnership(request, slug), pk=pk)


@router.patch("/partnerships/{slug}/assets/{pk}", response=AssetOut, summary="Modifier un bien")
def update_asset(request: HttpRequest, slug: str, pk: int, payload: AssetPatch) -> Asset:
    partnership = _partnership(request, slug)
    asset = selectors.asset_get(partnership=partnership, pk=pk)
    services.asset_update(
        by=request.user, asset=asset,
        fields=_resolve(payload.model_dump(exclude_unset=True), partnership),
    )  # fmt: skip
    return selectors.asset_get(partnership=partnership, pk=pk)
