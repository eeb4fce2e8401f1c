"""API: boards, seats, mandates, the balance report and a Popolo export.

Mounted at ``/api/governance``. Reads check ``board.view``; writes go through the same
services as the pages (``board.change``). Errors are RFC 9457 problem JSON.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from ninja import Field, Query, Router, Status

from sharaka.core.bounds import BoundedDate, Id, PatchSchema
from sharaka.core.errors import NotFound, ValidationFailed
from sharaka.core.schemas import Schema
from sharaka.directory import selectors as directory_selectors
from sharaka.governance import popolo, selectors, services
from sharaka.governance.models import Board, Expertise, Mandate, OfficerRole, Seat

router = Router(tags=["governance"])


class CollegeOut(Schema):
    code: str
    label: str
    order: int


class SeatOut(Schema):
    id: int
    college: str = Field(..., alias="college.code")
    organization_id: int | None
    voting: bool
    expertise: str
    label: str
    established_on: date
    abolished_on: date | None


class MandateOut(Schema):
    id: int
    seat_id: int
    person_id: int
    person: str
    on_behalf_of_id: int | None
    start_date: date
    end_date: date | None
    end_reason: str

    @staticmethod
    def resolve_person(obj: Mandate) -> str:
        return str(obj.person)


class OfficerOut(Schema):
    id: int
    role: OfficerRole
    mandate_id: int
    start_date: date
    end_date: date | None
    appointing_decision_id: int | None
    appointment_note: str


class BoardOut(Schema):
    id: int
    partnership: str
    name: str
    colleges: list[CollegeOut]
    seats: list[SeatOut]
    mandates: list[MandateOut]
    officers: list[OfficerOut]


class SeatIn(Schema):
    college: str = Field(..., min_length=1, max_length=32)
    organization_id: Id | None = None
    voting: bool = True
    expertise: Expertise = Expertise.NONE
    label: str = Field("", max_length=150)
    established_on: BoundedDate | None = None


class SeatPatch(PatchSchema):
    nullable = frozenset({"organization_id"})

    college: str | None = Field(None, min_length=1, max_length=32)
    organization_id: Id | None = None
    voting: bool | None = None
    expertise: Expertise | None = None
    label: str | None = Field(None, max_length=150)


class MandateIn(Schema):
    seat_id: Id
    person_id: Id
    start_date: BoundedDate
    end_date: BoundedDate | None = None
    on_behalf_of_id: Id | None = None


class MandateEndIn(Schema):
    end_date: BoundedDate
    reason: str = Field("", max_length=200)


class BoardAtDate(Schema):
    date: BoundedDate | None = None


def _board(request: HttpRequest, slug: str) -> tuple[Any, Board]:
    partnership, board = selectors.partnership_board_get(user=request.user, slug=slug)
    if board is None:
        raise NotFound(gettext("Ce partenariat n'a pas encore de conseil."))
    return partnership, board


def _college(board: Board, code: str) -> Any:
    college = board.colleges.filter(code=code).first()
    if college is None:
        message = gettext("Collège inconnu : %(college)s") % {"college": code}
        raise ValidationFailed(message, {"college": [message]})
    return college


def _organization(request: HttpRequest, pk: int | None) -> Any:
    if pk is None:
        return None
    return directory_selectors.organization_get(user=request.user, pk=pk)


def _board_out(board: Board, slug: str) -> dict[str, Any]:
    data = selectors.board_data_get(board=board)
    return {
        "id": board.pk,
        "partnership": slug,
        "name": board.name,
        "colleges": data.colleges,
        "seats": data.seats,
        "mandates": data.mandates,
        "officers": data.officers,
    }


@router.get("/partnerships/{slug}/board", response=BoardOut, summary="Lire le conseil")
def get_board(request: HttpRequest, slug: str) -> dict[str, Any]:
    _partnership, board = _board(request, slug)
    return _board_out(board, slug)


@router.post(
    "/partnerships/{slug}/board/seats", response={201: SeatOut}, summary="Ajouter un siège"
)
def create_seat(request: HttpRequest, slug: str, payload: SeatIn) -> Status[Seat]:
    _partnership, board = _board(request, slug)
    seat = services.seat_create(
        by=request.user,
        board=board,
        college=_college(board, payload.college),
        organization=_organization(request, payload.organization_id),
        voting=payload.voting,
        expertise=str(payload.expertise.value),
        label=payload.label,
        established_on=payload.established_on,
    )
    return Status(201, selectors.seat_get(board=board, seat_id=seat.pk))


@router.patch(
    "/partnerships/{slug}/board/seats/{seat_id}", response=SeatOut, summary="Modifier un siège"
)
def update_seat(request: HttpRequest, slug: str, seat_id: int, payload: SeatPatch) -> Seat:
    _partnership, board = _board(request, slug)
    seat = selectors.seat_get(board=board, seat_id=seat_id)
    data = payload.model_dump(exclude_unset=True)
    fields: dict[str, Any] = {}
    if "college" in data:
        fields["college"] = _college(board, data["college"] or "")
    if "organization_id" in data:
        fields["organization"] = _organization(request, data["organization_id"])
    for name in ("voting", "label"):
        if data.get(name) is not None:
            fields[name] = data[name]
    if "expertise" in data:
        fields["expertise"] = str(data["expertise"] or "")
    services.seat_update(by=request.user, board=board, seat=seat, fields=fields)
    return selectors.seat_get(board=board, seat_id=seat.pk)


@router.post(
    "/partnerships/{slug}/board/mandates", response={201: MandateOut}, summary="Nommer un membre"
)
def create_mandate(request: HttpRequest, slug: str, payload: MandateIn) -> Status[Mandate]:
    _partnership, board = _board(request, slug)
    mandate = services.mandate_create(
        by=request.user,
        board=board,
        seat=selectors.seat_get(board=board, seat_id=payload.seat_id),
        person=directory_selectors.person_get(user=request.user, pk=payload.person_id),
        start_date=payload.start_date,
        end_date=payload.end_date,
        on_behalf_of=_organization(request, payload.on_behalf_of_id),
    )
    return Status(201, selectors.mandate_get(board=board, mandate_id=mandate.pk))


@router.post(
    "/partnerships/{slug}/board/mandates/{mandate_id}/end",
    response=MandateOut,
    summary="Mettre fin à un mandat (il n'est jamais supprimé)",
)
def end_mandate(request: HttpRequest, slug: str, mandate_id: int, payload: MandateEndIn) -> Mandate:
    _partnership, board = _board(request, slug)
    mandate = selectors.mandate_get(board=board, mandate_id=mandate_id)
    services.mandate_end(
        by=request.user,
        board=board,
        mandate=mandate,
        end_date=payload.end_date,
        reason=payload.reason,
    )
    return selectors.mandate_get(board=board, mandate_id=mandate.pk)


@router.get(
    "/partnerships/{slug}/board/balance",
    summary="Équilibre du conseil (même forme que `sharaka rules balance`, plus les noms)",
)
def get_balance(request: HttpRequest, slug: str, query: Query[BoardAtDate]) -> dict[str, Any]:
    partnership = _board(request, slug)[0]
    comp = selectors.composition_get(partnership=partnership, at=query.date)
    analysis = comp.analysis
    assert analysis is not None
    engine = dict(analysis.engine) or {
        "ok": analysis.ok,
        "violations": [{"code": f.code, "message": f.message} for f in analysis.violations],
        "warnings": [{"code": f.code, "message": f.message} for f in analysis.warnings],
        "seat_shares": {},
        "women_share": 0.0,
        "power": None,
    }
    # the page's verdict (an all-vacant board is not judged on women's share)
    engine["ok"] = analysis.ok
    engine["violations"] = [{"code": f.code, "message": f.message} for f in analysis.violations]
    return engine | {
        "women_note": analysis.women_note or None,
        "date": (query.date or timezone.localdate()).isoformat(),
        "rules_source": comp.rules.source,
        "rule": analysis.rule_label,
        "deciding_rule": analysis.deciding_rule_label,
        "organizations": {
            row.key: {"name": row.name, "voting_seats": row.voting, "advisory_seats": row.advisory}
            for row in analysis.organizations
        },
        "colleges": {
            row.key: {
                "name": row.name,
                "voting_seats": row.voting,
                "advisory_seats": row.advisory,
                "banzhaf": None if row.banzhaf is None else float(row.banzhaf),
                "shapley_shubik": None if row.shapley is None else float(row.shapley),
            }
            for row in analysis.colleges
        },
        "power_error": analysis.power_error or None,
    }


@router.get(
    "/partnerships/{slug}/board/popolo",
    summary="Export Popolo du conseil (organizations, persons, posts, memberships)",
)
def get_popolo(request: HttpRequest, slug: str) -> dict[str, Any]:
    partnership, board = _board(request, slug)
    return popolo.board_popolo(partnership=partnership, board=board)
