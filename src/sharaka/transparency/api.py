"""API: information requests (law 31-13), read-only. Mounted at ``/api/transparency``.

Every route is under a partnership and needs ``request.view`` (404 when the partnership
is not visible). ``postings``: the board's decisions and when each was posted (law 113-14,
art. 273). ``requester`` (name, address, identity number, e-mail) is given only to
the information officers (``request.manage``); it is ``null`` for anyone else.
"""

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from sharaka.core.access import Perm, can
from sharaka.core.schemas import Schema
from sharaka.transparency import selectors
from sharaka.transparency.models import InformationRequest

router = Router(tags=["transparency"])


class RequesterOut(Schema):
    name: str
    address: str
    id_number: str
    email: str


class RequestOut(Schema):
    id: int
    number: str
    information_sought: str
    preferred_format: str
    urgent: bool
    received_on: dt.date
    due_on: dt.date
    status: str
    outcome: str
    answered_on: dt.date | None
    ground: str
    complaint_filed_on: dt.date | None
    complaint_answered_on: dt.date | None
    requester: RequesterOut | None


def _out(request: InformationRequest, manage: bool) -> RequestOut:
    requester = (
        RequesterOut(name=request.requester_name, address=request.requester_address,
                     id_number=request.requester_id_number, email=request.requester_email)
        if manage else None
    )  # fmt: skip
    return RequestOut(
        id=request.pk, number=request.number, information_sought=request.information_sought,
        preferred_format=request.preferred_format, urgent=request.urgent,
        received_on=request.received_on, due_on=request.due_on, status=request.status,
        outcome=request.outcome, answered_on=request.answered_on, ground=request.ground,
        complaint_filed_on=request.complaint_filed_on,
        complaint_answered_on=request.complaint_answered_on, requester=requester,
    )  # fmt: skip


@router.get("/partnerships/{slug}/requests", response=list[RequestOut],
            summary="Demandes d'accès à l'information (les 200 dernières)")  # fmt: skip
def list_requests(request: HttpRequest, slug: str) -> list[RequestOut]:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    manage = can(request.user, Perm.REQUEST_MANAGE, partnership)
    rows = selectors.all_requests(user=request.user, partnership=partnership)[:200]
    return [_out(row, manage) for row in rows]


@router.get("/partnerships/{slug}/requests/{pk}", response=RequestOut,
            summary="Une demande d'accès à l'information")  # fmt: skip
def get_request(request: HttpRequest, slug: str, pk: int) -> RequestOut:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    row = selectors.request_get(partnership=partnership, pk=pk)
    return _out(row, can(request.user, Perm.REQUEST_MANAGE, partnership))


class PostingOut(Schema):
    """A decision of the board and its posting (law 113-14, art. 273)."""

    decision_id: int
    number: str
    title: str
    decided_on: dt.date
    due_on: dt.date
    state: str  # on_time | late | due | overdue
    posted_on: dt.date | None
    channel: str
    place: str
    has_proof: bool


def _posting_out(row: selectors.PostingRow) -> PostingOut:
    posting = row.posting
    return PostingOut(
        decision_id=row.decision.pk, number=row.decision.number, title=row.decision.title,
        decided_on=row.decision.decided_on, due_on=row.due, state=row.state.value,
        posted_on=posting.posted_on if posting else None,
        channel=posting.channel if posting else "", place=posting.place if posting else "",
        has_proof=bool(posting and posting.proof),
    )  # fmt: skip


@router.get("/partnerships/{slug}/postings", response=list[PostingOut],
            summary="Affichage des décisions du conseil (les 200 dernières)")  # fmt: skip
def list_postings(request: HttpRequest, slug: str) -> list[PostingOut]:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    decisions = selectors.posting_decisions(partnership=partnership)[:200]
    return [_posting_out(row) for row in selectors.posting_rows(decisions, timezone.localdate())]
