"""Read side of the information requests: the view models of the pages, each in a fixed
number of queries. The requester's personal data is in a view model only for a user
holding ``REQUEST_MANAGE`` on the request's partnership (the information officers)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from sharaka.core.access import (
    Capabilities,
    Perm,
    capabilities,
    partnership_scope,
    permissions_for,
)
from sharaka.core.errors import NotFound
from sharaka.core.rules.deadline import Calendar
from sharaka.directory.selectors import calendars_get
from sharaka.meetings.models import Decision, Meeting
from sharaka.partnerships import selectors as partnership_selectors
from sharaka.partnerships.models import Partnership
from sharaka.transparency import rules
from sharaka.transparency.models import (
    CommunicationAction,
    DecisionPosting,
    Ground,
    InformationRequest,
    RegisterEntry,
    RequestEvent,
)
from sharaka.transparency.publication import PUBLICATION_LABELS as PUBLICATION_LABELS
from sharaka.transparency.publication import ChecklistRow as ChecklistRow
from sharaka.transparency.publication import publication_checklist as publication_checklist


def calendar_of(authority_id: int) -> Calendar:
    """The authority's working calendar (``directory``), the one the due dates count on."""
    return calendars_get([authority_id])[authority_id]


def partnership_get(*, user: Any, slug: str, perm: Perm = Perm.REQUEST_VIEW) -> Partnership:
    return partnership_selectors.partnership_get(user=user, slug=slug, perm=perm)


def request_get(*, partnership: Partnership, pk: int) -> InformationRequest:
    request = InformationRequest.objects.filter(partnership=partnership, pk=pk).first()
    if request is None:
        raise NotFound()
    request.partnership = partnership
    return request


def receipt_get(*, partnership: Partnership, receipt: str) -> InformationRequest:
    """The request behind an acknowledgement link (public: the key is the secret)."""
    request = InformationRequest.objects.filter(partnership=partnership, receipt=receipt).first()
    if request is None or not receipt:
        raise NotFound()
    request.partnership = partnership
    return request


@dataclass(frozen=True)
class Requester:
    name: str
    address: str
    id_number: str
    email: str
    anonymised: bool


@dataclass(frozen=True)
class Rule:
    """A delay as a page shows it: what, how long, the article."""

    label: str
    count: int
    unit: str
    legal: str


@dataclass(frozen=True)
class RequestView:
    request: InformationRequest
    requester: Requester | None  # None: not an information officer
    events: list[RequestEvent]
    late: bool
    complaint_deadline: dt.date | None
    can: Capabilities
    can_extend: bool
    can_answer: bool
    can_complain: bool
    can_answer_complaint: bool
    ground_legal: str
    rules: list[Rule]


def rules_shown() -> list[Rule]:
    """The delays of law 31-13, beside the due dates (legal facts as data: ``rules``)."""
    rows = [
        (_("Réponse"), rules.ANSWER), (_("Prorogation (une fois, avec avis)"), rules.EXTENSION),
        (_("Urgence : vie ou liberté en jeu"), rules.URGENT),
        (_("Réclamation au chef de l'organisme"), rules.COMPLAINT_FILING),
        (_("Réponse à la réclamation"), rules.COMPLAINT_ANSWER),
        (_("Plainte à la Commission (CDAI)"), rules.CDAI_FILING),
        (_("Décision de la Commission"), rules.CDAI_DECISION),
        (_("Recours au tribunal administratif"), rules.COURT_FILING),
    ]  # fmt: skip
    return [Rule(str(label), d.count, d.unit, d.legal) for label, d in rows]


def request_view_get(*, user: Any, request: InformationRequest) -> RequestView:
    can = capabilities(user, request.partnership)
    manage = Perm.REQUEST_MANAGE in can
    requester = (
        Requester(request.requester_name, request.requester_address,
                  request.requester_id_number, request.requester_email,
                  request.anonymised_at is not None)
        if manage else None
    )  # fmt: skip
    today = timezone.localdate()
    start = request.answered_on if request.outcome else request.due_on
    refusable = request.outcome not in ("", rules.Outcome.GRANTED) or (
        request.is_open and today > request.due_on
    )
    deadline = (
        rules.complaint_deadline(start, calendar_of(request.authority_id))
        if start and refusable and request.complaint_filed_on is None else None
    )  # fmt: skip
    return RequestView(
        request=request, requester=requester,
        events=list(request.events.select_related("by").order_by("at", "id")),
        late=rules.is_late(due=request.due_on, answered=request.answered_on, today=today),
        complaint_deadline=deadline, can=can,
        can_extend=manage and request.status == rules.Status.RECEIVED and not request.urgent,
        can_answer=manage and request.is_open,
        can_complain=manage and deadline is not None,
        can_answer_complaint=manage and request.complaint_open,
        ground_legal=rules.GROUND_LEGAL.get(rules.Ground(request.ground), "") if request.ground
        else "",
        rules=rules_shown(),
    )  # fmt: skip


# --- To-do list and statistics ---------------------------------------------------------------


def _scoped(user: Any, partnership: Partnership | None) -> QuerySet[InformationRequest]:
    requests = InformationRequest.objects.all()
    if partnership is not None:
        return requests.filter(partnership=partnership)
    return requests.filter(partnership__in=Partnership.objects.filter(partnership_scope(user)))


def open_requests(*, user: Any, partnership: Partnership | None = None,
                  ) -> QuerySet[InformationRequest]:  # fmt: skip
    """Open requests, or with a complaint awaiting its answer, by due date (index
    ``transp_req_todo`` / ``transp_req_open``; ``id`` breaks ties)."""
    return (
        _scoped(user, partnership)
        .filter(Q(status__in=[s.value for s in rules.OPEN])
                | Q(complaint_filed_on__isnull=False, complaint_answered_on__isnull=True))
        .select_related("partnership")
        .order_by("due_on", "id")
    )  # fmt: skip


def all_requests(*, user: Any, partnership: Partnership | None = None,
                 ) -> QuerySet[InformationRequest]:  # fmt: skip
    return _scoped(user, partnership).select_related("partnership").order_by("-due_on", "-id")


@dataclass(frozen=True)
class GroundCount:
    code: str
    label: str
    legal: str
    count: int


@dataclass(frozen=True)
class YearRow:
    year: int
    received: int
    answered_in_time: int
    late: int
    open_in_time: int
    refused: int
    partly_granted: int
    grounds: list[GroundCount]


def statistics_get(*, user: Any, partnership: Partnership | None = None,
                   today: dt.date | None = None) -> list[YearRow]:  # fmt: skip
    """Per year of receipt, in two queries whatever the number of requests: received,
    answered in time, late (answered late or still open past the due date), refusals
    (whole or partial) by ground. ``rules.statistics`` is the reference it agrees with."""
    today = today or timezone.localdate()
    scoped = _scoped(user, partnership).order_by()
    answered = Q(answered_on__isnull=False)
    counts = scoped.values("year").annotate(
        received=Count("id"),
        in_time=Count("id", filter=answered & Q(answered_on__lte=F("due_on"))),
        late=Count("id", filter=(answered & Q(answered_on__gt=F("due_on")))
                   | Q(answered_on__isnull=True, due_on__lt=today)),
        open_in_time=Count("id", filter=Q(answered_on__isnull=True, due_on__gte=today)),
        refused=Count("id", filter=Q(outcome=rules.Outcome.REFUSED)),
        partly=Count("id", filter=Q(outcome=rules.Outcome.PARTLY_GRANTED)),
    )  # fmt: skip
    grounds: dict[int, list[GroundCount]] = {}
    labels = dict(Ground.choices)
    for row in scoped.exclude(ground="").values("year", "ground").annotate(n=Count("id")):
        code = row["ground"]
        grounds.setdefault(row["year"], []).append(
            GroundCount(
                code,
                str(labels.get(code, code)),
                rules.GROUND_LEGAL.get(rules.Ground(code), ""),
                row["n"],
            )
        )
    return [
        YearRow(year=c["year"], received=c["received"], answered_in_time=c["in_time"],
                late=c["late"], open_in_time=c["open_in_time"], refused=c["refused"],
                partly_granted=c["partly"],
                grounds=sorted(grounds.get(c["year"], []), key=lambda g: (-g.count, g.code)))
        for c in sorted(counts, key=lambda c: -c["year"])
    ]  # fmt: skip


@dataclass(frozen=True)
class TodoRow:
    request: InformationRequest
    due: dt.date
    late: bool
    complaint: bool  # waiting for the answer to a complaint


def todo_rows(requests: Any, today: dt.date) -> list[TodoRow]:
    rows = []
    for request in requests:
        complaint = request.complaint_open and not request.is_open
        due = request.complaint_due_on if complaint else request.due_on
        rows.append(TodoRow(request, due, due < today, complaint))
    return rows


def register_list(*, partnership: Partnership, direction: str = "") -> QuerySet[RegisterEntry]:
    """The partnership's register, newest first (index ``transp_register_list``/``_dir``)."""
    entries = RegisterEntry.objects.filter(partnership=partnership)
    if direction:
        entries = entries.filter(direction=direction)
    return entries.select_related("handled_by").order_by("-on", "-id")


# --- Posting of the board's decisions (law 113-14, art. 273) --------------------------------

#: at most this many decisions in one user's to-do list (the tracker page has them all)
TODO_LIMIT = 20


@dataclass(frozen=True)
class PostingRow:
    decision: Decision
    posting: DecisionPosting | None
    due: dt.date
    state: rules.PostingState


@dataclass(frozen=True)
class PostingSummary:
    decisions: int
    on_time: int
    late: int
    overdue: int


def posting_decisions(*, partnership: Partnership) -> QuerySet[Decision]:
    """The partnership's decisions, newest first, each with its posting (one query a page;
    the unique index on partnership, year and sequence orders them)."""
    return (
        Decision.objects.filter(partnership=partnership)
        .select_related("posting", "posting__recorded_by", "meeting")
        .order_by("-year", "-sequence", "-id")
    )


def _posting_of(decision: Decision) -> DecisionPosting | None:
    try:
        return decision.posting
    except DecisionPosting.DoesNotExist:
        return None


def posting_rows(decisions: Any, today: dt.date) -> list[PostingRow]:
    rows = []
    for decision in decisions:
        posting = _posting_of(decision)
        due = posting.due_on if posting else rules.posting_due(decision.decided_on)
        state = rules.posting_state(
            due=due, posted=posting.posted_on if posting else None, today=today
        )
        rows.append(PostingRow(decision, posting, due, state))
    return rows


def posting_summary(*, partnership: Partnership, today: dt.date) -> PostingSummary:
    """How many decisions, posted in time, posted late, overdue (one query)."""
    overdue_before = today - dt.timedelta(days=rules.POSTING.count)
    counts = Decision.objects.filter(partnership=partnership).aggregate(
        decisions=Count("id"),
        on_time=Count("id", filter=Q(posting__posted_on__lte=F("posting__due_on"))),
        late=Count("id", filter=Q(posting__posted_on__gt=F("posting__due_on"))),
        overdue=Count("id", filter=Q(posting__isnull=True, decided_on__lt=overdue_before)),
    )
    return PostingSummary(**counts)


def posting_decision_get(*, partnership: Partnership, pk: int) -> Decision:
    decision = Decision.objects.filter(partnership=partnership, pk=pk).first()
    if decision is None:
        raise NotFound()
    decision.partnership = partnership
    return decision


def posting_get(*, partnership: Partnership, pk: int) -> DecisionPosting:
    posting = DecisionPosting.objects.filter(partnership=partnership, decision_id=pk).first()
    if posting is None:
        raise NotFound()
    return posting


def postings_todo(*, user: Any, today: dt.date) -> list[PostingRow]:
    """The decisions ``user`` must post (an information officer of their partnership): not
    posted, due within ``POSTING_WARN_DAYS`` or overdue, oldest first — decisions of this
    year and the last (the unique index on partnership and year), at most ``TODO_LIMIT``.
    Two queries at most (the user's grants, the decisions), whatever the data."""
    latest = today - dt.timedelta(days=rules.POSTING.count - rules.POSTING_WARN_DAYS)
    decisions = (
        Decision.objects.filter(
            partnership__in=Partnership.objects.filter(partnership_scope(user)),
            year__gte=today.year - 1, decided_on__lte=latest, posting__isnull=True,
        )
        .select_related("partnership")
        .order_by("decided_on", "id")[:TODO_LIMIT]
    )  # fmt: skip
    rows = []
    for decision in decisions:
        if Perm.REQUEST_MANAGE in permissions_for(user, decision.partnership):
            due = rules.posting_due(decision.decided_on)
            state = rules.posting_state(due=due, posted=None, today=today)
            rows.append(PostingRow(decision, None, due, state))
    return rows


# --- The communication plan -----------------------------------------------------------------


def actions_list(*, partnership: Partnership) -> QuerySet[CommunicationAction]:
    """The partnership's communication plan by date (index ``transp_action_plan``)."""
    return (
        CommunicationAction.objects.filter(partnership=partnership)
        .select_related("owner", "budget_line__activity__version__plan")
        .annotate(budget_amount=Sum("budget_line__amounts__amount"))
        .order_by("planned_on", "id")
    )


def action_get(*, partnership: Partnership, pk: int) -> CommunicationAction:
    action = CommunicationAction.objects.filter(partnership=partnership, pk=pk).first()
    if action is None:
        raise NotFound()
    action.partnership = partnership
    return action


def owner_choices(*, partnership: Partnership) -> QuerySet[Any]:
    """Who may be responsible: the partnership's users and its lead authority's staff."""
    return (
        get_user_model()
        .objects.filter(
            Q(partnership_roles__partnership=partnership)
            | Q(organization_id=partnership.lead_authority_id),
            is_active=True,
        )
        .distinct()
        .order_by("last_name", "first_name", "id")
    )


# --- The portal's feeds: only what is public ------------------------------------------------

#: meetings shown in the calendar feed: convened or later (a meeting in preparation is not)
_PUBLIC_MEETING = ("convened", "held", "minutes_drafted", "minutes_signed", "published")


def public_decisions(*, partnership: Partnership) -> QuerySet[Decision]:
    """Decisions of meetings whose minutes are published (as the open data), newest first."""
    return (
        Decision.objects.filter(partnership=partnership, meeting__status="published")
        .select_related("partnership")
        .order_by("-year", "-sequence", "-id")
    )


def public_meetings(*, partnership: Partnership) -> QuerySet[Meeting]:
    """The board's meetings once convened, the latest 200 (index ``meetings_meeting_order``)."""
    return Meeting.objects.filter(partnership=partnership, status__in=_PUBLIC_MEETING).order_by(
        "-starts_at", "-id"
    )[:200]


#: at most this many communication actions on the portal page and in the feeds
PUBLIC_ACTIONS = 50


def public_actions(*, partnership: Partnership) -> list[CommunicationAction]:
    """The communication plan's public actions, planned or done (never cancelled), newest
    first, at most ``PUBLIC_ACTIONS`` (index ``transp_action_plan``). Only the audience,
    channel, message, dates, frequency and state are public: never the responsible person
    nor the evidence, which may name people."""
    return list(
        CommunicationAction.objects.filter(partnership=partnership, public=True)
        .exclude(status="cancelled")
        .only(
            "id",
            "partnership_id",
            "audience",
            "channel",
            "message",
            "planned_on",
            "frequency",
            "status",
            "done_on",
            "updated_at",
        )
        .order_by("-planned_on", "-id")[:PUBLIC_ACTIONS]
    )


def public_news(*, partnership: Partnership) -> list[CommunicationAction]:
    """The partnership's news: its public communication actions once done, newest first."""
    return list(
        CommunicationAction.objects.filter(partnership=partnership, public=True, status="done")
        .only("id", "partnership_id", "audience", "channel", "message", "done_on", "updated_at")
        .order_by("-done_on", "-id")[:PUBLIC_ACTIONS]
    )
