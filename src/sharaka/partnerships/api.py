"""API: the partnership registry."""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, Query, Router, Status
from ninja.pagination import paginate

from sharaka.core.bounds import BoundedDate, BoundedPageNumberPagination, Id, PatchSchema
from sharaka.core.errors import NotFound, ValidationFailed
from sharaka.core.schemas import Schema
from sharaka.directory import selectors as directory_selectors
from sharaka.partnerships import selectors, services
from sharaka.partnerships.models import (
    Category,
    Complexity,
    Kind,
    Partnership,
    PartyRole,
    Sector,
    StatusChoice,
)

router = Router(tags=["partnerships"])


class PartyOut(Schema):
    organization_id: int
    organization: str = Field(..., alias="organization.name")
    role: PartyRole


class PartnershipOut(Schema):
    id: int
    slug: str
    title: str
    kind: Kind
    category: Category
    sector: Sector
    complexity: Complexity
    lead_authority_id: int
    start_date: date | None
    end_date: date | None
    description: str
    status: StatusChoice


class PartnershipDetailOut(PartnershipOut):
    parties: list[PartyOut]
    allowed_transitions: list[str]

    @staticmethod
    def resolve_allowed_transitions(obj: Partnership) -> list[str]:
        return [option.status for option in selectors.transition_options(obj)]


class PartnershipIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    slug: str = Field("", max_length=80)
    kind: Kind
    category: Category
    sector: Sector
    complexity: Complexity
    lead_authority_id: Id
    start_date: BoundedDate | None = None
    end_date: BoundedDate | None = None
    description: str = ""


class PartnershipPatch(PatchSchema):
    nullable = frozenset({"start_date", "end_date"})

    title: str | None = Field(None, min_length=1, max_length=200)
    slug: str | None = Field(None, min_length=1, max_length=80)
    kind: Kind | None = None
    category: Category | None = None
    sector: Sector | None = None
    complexity: Complexity | None = None
    lead_authority_id: Id | None = None
    start_date: BoundedDate | None = None
    end_date: BoundedDate | None = None
    description: str | None = None


class PartnershipFilter(Schema):
    q: str = ""
    sector: Sector | None = None
    status: StatusChoice | None = None
    authority: Id | None = None


class TransitionIn(Schema):
    to_status: StatusChoice
    note: str = ""


class TransitionOut(Schema):
    from_status: str
    to_status: str
    at: datetime
    note: str


def _fields(request: HttpRequest, payload: Schema, *, partial: bool) -> dict[str, Any]:
    data = payload.model_dump(exclude_unset=partial)
    if "lead_authority_id" in data:
        lead_id = data.pop("lead_authority_id")
        try:
            data["lead_authority"] = directory_selectors.organization_get(
                user=request.user, pk=lead_id
            )
        except NotFound:
            message = gettext("Aucune organisation ne porte cet identifiant.")
            raise ValidationFailed(
                gettext("Autorité cheffe de file : %(message)s") % {"message": message},
                {"lead_authority_id": [message]},
            ) from None
    return {k: (str(v) if hasattr(v, "value") else v) for k, v in data.items()}


@router.get("", response=list[PartnershipOut], summary="Lister les partenariats")
@paginate(BoundedPageNumberPagination, page_size=25)
def list_partnerships(request: HttpRequest, filters: Query[PartnershipFilter]) -> Any:
    return selectors.partnership_list(
        user=request.user,
        search=filters.q,
        sector=filters.sector or "",
        status=filters.status or "",
        authority=filters.authority,
    )


@router.get("/{slug}", response=PartnershipDetailOut, summary="Lire un partenariat")
def get_partnership(request: HttpRequest, slug: str) -> Partnership:
    return selectors.partnership_get(user=request.user, slug=slug)


@router.post("", response={201: PartnershipDetailOut}, summary="Créer un partenariat")
def create_partnership(request: HttpRequest, payload: PartnershipIn) -> Status[Partnership]:
    partnership = services.partnership_create(
        by=request.user, fields=_fields(request, payload, partial=False)
    )
    return Status(201, selectors.partnership_get(user=request.user, slug=partnership.slug))


@router.patch("/{slug}", response=PartnershipDetailOut, summary="Modifier un partenariat")
def update_partnership(request: HttpRequest, slug: str, payload: PartnershipPatch) -> Partnership:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    partnership = services.partnership_update(
        by=request.user, partnership=partnership, fields=_fields(request, payload, partial=True)
    )
    return selectors.partnership_get(user=request.user, slug=partnership.slug)


@router.post(
    "/{slug}/transitions",
    response={201: TransitionOut},
    summary="Faire avancer le partenariat dans son cycle de vie",
)
def transition_partnership(request: HttpRequest, slug: str, payload: TransitionIn) -> Any:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    transition = services.partnership_transition(
        by=request.user, partnership=partnership, to_status=str(payload.to_status),
        note=payload.note,
    )  # fmt: skip
    return Status(201, transition)
