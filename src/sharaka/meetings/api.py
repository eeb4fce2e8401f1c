"""API: meetings, attendance, ballots, decisions and a Popolo export of the votes.

Mounted at ``/api/meetings``. Reads check ``meeting.view`` / ``decision.view``; writes go
through the same services as the pages. A member casts their own ballot with their own
token (``POST /motions/{id}/ballots``); the secretariat records a show of hands
(``POST /motions/{id}/ballots/record``). Secret ballots: counts only, never who voted what.
Errors are RFC 9457 problem JSON.
"""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Status
from ninja.pagination import paginate

from sharaka.core.access import Perm, partnership_scope, require
from sharaka.core.bounds import BoundedDateTime, BoundedPageNumberPagination, Id, Year
from sharaka.core.schemas import Schema
from sharaka.meetings import popolo, selectors, services
from sharaka.meetings.models import (
    Choice,
    Decision,
    DecisionKindChoice,
    ItemKindChoice,
    Meeting,
    MeetingKind,
    MeetingStatusChoice,
    Motion,
    MotionStatus,
    PresenceChoice,
)
from sharaka.partnerships.models import Partnership
from sharaka.partnerships.selectors import partnership_get

router = Router(tags=["meetings"])


# --- Schemas ---------------------------------------------------------------------------------


class MotionSummary(Schema):
    id: int
    round: int
    status: str
    voting_mode: str
    adopted: bool | None


class ItemOut(Schema):
    id: int
    position: int
    kind: ItemKindChoice
    title: str
    description: str
    minutes_to_approve_id: int | None
    motions: list[MotionSummary]


class MeetingOut(Schema):
    id: int
    partnership: str = Field(..., alias="partnership.slug")
    board_id: int
    title: str
    kind: MeetingKind
    status: MeetingStatusChoice
    starts_at: datetime
    ends_at: datetime | None
    place: str
    video_link: str
    convocation_number: int
    reconvenes_id: int | None
    quorum_override: str
    convened_at: datetime | None


class MeetingDetailOut(MeetingOut):
    items: list[ItemOut]

    @staticmethod
    def resolve_items(obj: Meeting) -> list[Any]:
        return selectors.items_of(obj)


class MeetingIn(Schema):
    partnership: str = Field(..., description="identifiant court (slug) du partenariat")
    title: str = Field("", max_length=200)
    kind: MeetingKind = MeetingKind.ORDINARY
    starts_at: BoundedDateTime
    ends_at: BoundedDateTime | None = None
    place: str = Field("", max_length=200)
    video_link: str = ""


class MeetingFilter(Schema):
    partnership: str = ""
    status: MeetingStatusChoice | None = None


class QuorumOut(Schema):
    met: bool
    present: int
    electorate: int
    required: str


class AttendanceRow(Schema):
    mandate_id: int
    person_id: int
    name: str
    organization: str
    college: str
    voting: bool
    status: str
    proxy_holder_mandate_id: int | None
    proxy_reference: str


class AttendanceOut(Schema):
    meeting_id: int
    day: date
    quorum: QuorumOut | None
    members: list[AttendanceRow]


class AttendanceEntryIn(Schema):
    mandate_id: Id
    status: PresenceChoice
    proxy_holder_mandate_id: Id | None = None
    proxy_reference: str = Field("", max_length=200)


class AttendanceIn(Schema):
    entries: list[AttendanceEntryIn]


class CountsOut(Schema):
    yes: int
    no: int
    abstain: int
    not_voting: int = 0


class VoteOut(Schema):
    name: str
    choice: str
    by_proxy: bool


class MotionOut(Schema):
    id: int
    meeting_id: int
    item_id: int
    round: int
    text: str
    voting_mode: str
    decision_kind: str
    status: str
    opened_at: datetime
    closed_at: datetime | None
    ballot_count: int
    adopted: bool | None
    counts: CountsOut | None
    explanation: list[str]
    votes: list[VoteOut] | None
    decision_number: str | None


class CastIn(Schema):
    choice: Choice
    for_mandate_id: Id | None = Field(
        None, description="pour voter au nom d'un membre dont vous portez le pouvoir écrit"
    )


class RecordIn(Schema):
    mandate_id: Id
    choice: Choice


class BallotOut(Schema):
    id: int
    motion_id: int
    by_proxy: bool
    entered_by_secretary: bool
    recorded_at: datetime


class DecisionOut(Schema):
    id: int
    number: str
    partnership: str = Field(..., alias="partnership.slug")
    year: int
    kind: DecisionKindChoice
    title: str
    text: str
    decided_on: date
    meeting_id: int
    item_id: int
    motion_id: int
    chain_position: int
    chain_hash: str


class DecisionDetailOut(DecisionOut):
    snapshot: dict[str, Any]

    @staticmethod
    def resolve_snapshot(obj: Decision) -> dict[str, Any]:
        snapshot = dict(obj.snapshot)
        if obj.motion.is_secret:
            snapshot["votes"] = None
        return snapshot


class DecisionFilter(Schema):
    partnership: str = ""
    q: str = ""
    year: Year | None = None
    kind: DecisionKindChoice | None = None


# --- Meetings --------------------------------------------------------------------------------


def _partnership(request: HttpRequest, slug: str) -> Partnership:
    partnership = partnership_get(user=request.user, slug=slug)
    require(request.user, Perm.MEETING_VIEW, partnership)
    return partnership


@router.get("", response=list[MeetingOut], summary="Lister les réunions")
@paginate(BoundedPageNumberPagination, page_size=25)
def list_meetings(request: HttpRequest, filters: Query[MeetingFilter]) -> Any:
    meetings = Meeting.objects.select_related("partnership").filter(
        partnership__in=Partnership.objects.filter(partnership_scope(request.user))
    )
    if filters.partnership:
        meetings = meetings.filter(partnership=_partnership(request, filters.partnership))
    if filters.status:
        meetings = meetings.filter(status=filters.status)
    return meetings.order_by("-starts_at", "-pk")


@router.post("", response={201: MeetingDetailOut}, summary="Créer une réunion")
def create_meeting(request: HttpRequest, payload: MeetingIn) -> Status[Meeting]:
    partnership = _partnership(request, payload.partnership)
    fields = payload.model_dump(exclude={"partnership"})
    fields["kind"] = str(payload.kind.value)
    meeting = services.meeting_create(by=request.user, partnership=partnership, fields=fields)
    return Status(201, selectors.meeting_by_id(user=request.user, meeting_id=meeting.pk))


@router.get("/{int:meeting_id}", response=MeetingDetailOut, summary="Lire une réunion")
def get_meeting(request: HttpRequest, meeting_id: int) -> Meeting:
    return selectors.meeting_by_id(user=request.user, meeting_id=meeting_id)


# --- Attendance ------------------------------------------------------------------------------


def _attendance(meeting: Meeting) -> dict[str, Any]:
    roll = selectors.roll_get(meeting=meeting)
    quorum = selectors.quorum_get(roll) if roll.attendance else None
    members = []
    for row in roll.members:
        record = roll.attendance.get(row.mandate.pk)
        members.append(
            {
                "mandate_id": row.mandate.pk,
                "person_id": row.person.pk,
                "name": row.name,
                "organization": row.organization,
                "college": row.college,
                "voting": row.voting,
                "status": record.status if record else "",
                "proxy_holder_mandate_id": record.proxy_holder_id if record else None,
                "proxy_reference": record.proxy_reference if record else "",
            }
        )
    return {
        "meeting_id": meeting.pk,
        "day": roll.day,
        "quorum": None
        if quorum is None
        else {
            "met": quorum.met,
            "present": quorum.present,
            "electorate": quorum.electorate,
            "required": str(quorum.required),
        },
        "members": members,
    }


@router.get(
    "/{int:meeting_id}/attendance", response=AttendanceOut, summary="Feuille de présence et quorum"
)
def get_attendance(request: HttpRequest, meeting_id: int) -> dict[str, Any]:
    return _attendance(selectors.meeting_by_id(user=request.user, meeting_id=meeting_id))


@router.put(
    "/{int:meeting_id}/attendance",
    response=AttendanceOut,
    summary="Noter les présences (les membres non cités ne changent pas)",
)
def update_attendance(request: HttpRequest, meeting_id: int, payload: AttendanceIn) -> Any:
    meeting = selectors.meeting_by_id(user=request.user, meeting_id=meeting_id)
    entries = {
        e.mandate_id: services.AttendanceInput(
            status=str(e.status.value),
            proxy_holder=e.proxy_holder_mandate_id,
            proxy_reference=e.proxy_reference,
        )
        for e in payload.entries
    }
    services.attendance_update(by=request.user, meeting=meeting, entries=entries)
    return _attendance(selectors.meeting_by_id(user=request.user, meeting_id=meeting_id))


# --- Motions and ballots ---------------------------------------------------------------------


def _motion_out(motion: Motion) -> dict[str, Any]:
    outcome = motion.outcome or {}
    closed = motion.status == MotionStatus.CLOSED
    decision = Decision.objects.filter(motion=motion).values_list("number", flat=True).first()
    return {
        "id": motion.pk,
        "meeting_id": motion.item.meeting_id,
        "item_id": motion.item_id,
        "round": motion.round,
        "text": motion.text,
        "voting_mode": motion.voting_mode,
        "decision_kind": motion.decision_kind,
        "status": motion.status,
        "opened_at": motion.opened_at,
        "closed_at": motion.closed_at,
        "ballot_count": motion.ballots.count(),
        "adopted": motion.adopted,
        "counts": (outcome.get("result") or {}).get("counts") if closed else None,
        "explanation": (outcome.get("explanation") or {}).get("fr", []) if closed else [],
        "votes": outcome.get("votes") if closed and not motion.is_secret else None,
        "decision_number": decision,
    }


@router.get("/motions/{motion_id}", response=MotionOut, summary="Lire une motion et son vote")
def get_motion(request: HttpRequest, motion_id: int) -> dict[str, Any]:
    return _motion_out(selectors.motion_by_id(user=request.user, motion_id=motion_id))


@router.post(
    "/motions/{motion_id}/ballots",
    response={201: BallotOut},
    summary="Voter (son propre bulletin, ou celui d'un membre dont on porte le pouvoir)",
)
def cast_ballot(request: HttpRequest, motion_id: int, payload: CastIn) -> Any:
    motion = selectors.motion_by_id(user=request.user, motion_id=motion_id)
    ballot = services.ballot_cast(
        by=request.user,
        motion=motion,
        choice=str(payload.choice.value),
        for_mandate_id=payload.for_mandate_id,
    )
    return Status(201, ballot)


@router.post(
    "/motions/{motion_id}/ballots/record",
    response={201: BallotOut},
    summary="Saisir le vote d'un membre (secrétariat, vote à main levée)",
)
def record_ballot(request: HttpRequest, motion_id: int, payload: RecordIn) -> Any:
    motion = selectors.motion_by_id(user=request.user, motion_id=motion_id)
    ballot = services.ballot_record(
        by=request.user,
        motion=motion,
        mandate_id=payload.mandate_id,
        choice=str(payload.choice.value),
    )
    return Status(201, ballot)


# --- Decisions -------------------------------------------------------------------------------


@router.get("/decisions", response=list[DecisionOut], summary="Registre des décisions (recherche)")
@paginate(BoundedPageNumberPagination, page_size=25)
def list_decisions(request: HttpRequest, filters: Query[DecisionFilter]) -> Any:
    partnership = None
    if filters.partnership:
        partnership = _partnership(request, filters.partnership)
    return selectors.decision_list(
        user=request.user,
        partnership=partnership,
        search=filters.q,
        year=filters.year,
        kind=str(filters.kind.value) if filters.kind else "",
    )


@router.get("/decisions/{decision_id}", response=DecisionDetailOut, summary="Lire une décision")
def get_decision(request: HttpRequest, decision_id: int) -> Decision:
    return selectors.decision_get(user=request.user, decision_id=decision_id)


# --- Popolo ----------------------------------------------------------------------------------


@router.get(
    "/partnerships/{slug}/popolo",
    summary="Export Popolo des votes (events, motions, vote events, counts, votes)",
)
def get_popolo(request: HttpRequest, slug: str) -> dict[str, Any]:
    """Every closed vote the reader may see; the board's persons and organisations are in
    ``/api/governance/partnerships/{slug}/board/popolo`` (same ids), and the whole of a
    public partnership in one document at ``/open-data/popolo/{slug}.json``."""
    partnership = _partnership(request, slug)
    return popolo.votes_popolo(partnership=partnership, published_only=False).as_dict()
