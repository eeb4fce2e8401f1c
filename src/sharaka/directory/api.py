"""API: organisations of the directory."""

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Status
from ninja.pagination import paginate

from sharaka.core.bounds import BoundedDate, BoundedPageNumberPagination, PatchSchema
from sharaka.core.schemas import Schema
from sharaka.directory import selectors, services
from sharaka.directory.models import College, Organization, OrganizationKind, ReceiptKind

router = Router(tags=["organizations"])


class OrganizationOut(Schema):
    id: int
    name: str
    short_name: str
    kind: OrganizationKind
    default_college: College
    legal_identifier: str
    registration_number: str
    address: str
    city: str
    country: str
    email: str
    phone: str
    website: str
    declaration_date: date | None
    receipt_number: str
    receipt_kind: str
    public_utility: bool
    statutes_on_file: bool


class OrganizationIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    kind: OrganizationKind
    short_name: str = ""
    default_college: College | None = None
    legal_identifier: str = ""
    registration_number: str = ""
    address: str = ""
    city: str = ""
    country: str = Field("MA", min_length=2, max_length=2)
    email: str = ""
    phone: str = ""
    website: str = ""
    declaration_date: BoundedDate | None = None
    receipt_number: str = ""
    receipt_kind: ReceiptKind | None = None
    public_utility: bool = False
    statutes_on_file: bool = False
    notes: str = ""


class OrganizationPatch(PatchSchema):
    nullable = frozenset({"default_college", "declaration_date", "receipt_kind"})

    name: str | None = Field(None, min_length=1, max_length=200)
    kind: OrganizationKind | None = None
    short_name: str | None = None
    default_college: College | None = None
    legal_identifier: str | None = None
    registration_number: str | None = None
    address: str | None = None
    city: str | None = None
    country: str | None = Field(None, min_length=2, max_length=2)
    email: str | None = None
    phone: str | None = None
    website: str | None = None
    declaration_date: BoundedDate | None = None
    receipt_number: str | None = None
    receipt_kind: ReceiptKind | None = None
    public_utility: bool | None = None
    statutes_on_file: bool | None = None
    notes: str | None = None


class OrganizationFilter(Schema):
    q: str = ""
    kind: OrganizationKind | None = None
    city: str = ""


def _fields(payload: Schema, *, partial: bool) -> dict[str, Any]:
    data = payload.model_dump(exclude_unset=partial)
    if data.get("default_college") is None:
        data.pop("default_college", None)
    if data.get("receipt_kind") is None and "receipt_kind" in data:
        data["receipt_kind"] = ""
    return {k: (str(v) if hasattr(v, "value") else v) for k, v in data.items()}


@router.get("", response=list[OrganizationOut], summary="Lister les organisations")
@paginate(BoundedPageNumberPagination, page_size=25)
def list_organizations(request: HttpRequest, filters: Query[OrganizationFilter]) -> Any:
    return selectors.organization_list(
        user=request.user, search=filters.q, kind=filters.kind or "", city=filters.city
    )


@router.get("/{organization_id}", response=OrganizationOut, summary="Lire une organisation")
def get_organization(request: HttpRequest, organization_id: int) -> Organization:
    return selectors.organization_get(user=request.user, pk=organization_id)


@router.post("", response={201: OrganizationOut}, summary="Créer une organisation")
def create_organization(request: HttpRequest, payload: OrganizationIn) -> Status[Organization]:
    organization = services.organization_create(
        by=request.user, fields=_fields(payload, partial=False)
    )
    return Status(201, organization)


@router.patch("/{organization_id}", response=OrganizationOut, summary="Modifier une organisation")
def update_organization(
    request: HttpRequest, organization_id: int, payload: OrganizationPatch
) -> Organization:
    organization = selectors.organization_get(user=request.user, pk=organization_id)
    return services.organization_update(
        by=request.user, organization=organization, fields=_fields(payload, partial=True)
    )
