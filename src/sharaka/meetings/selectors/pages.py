"""View models of the meeting pages: what each page shows and who may do what on it, decided
here (from ``meetings.access``, the roll and the meeting's status) rather than in the view or
the template. Each ``<page>_view_get(*, user, ...)`` returns a frozen dataclass.

Forms stay in the views: a view model says *whether* a form is offered (and with which
choices), the view builds it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext

from sharaka.core.access import Capabilities, Perm, can
from sharaka.core.errors import NotFound
from sharaka.governance.analysis import describe_rule
from sharaka.governance.models import Board, Officer, OfficerRole
from sharaka.governance.rules import Rule, parse
from sharaka.governance.rules.values import QuorumReport
from sharaka.governance.rules_in_force import RulesInForce
from sharaka.governance.selectors import rules_in_force_get
from sharaka.meetings import document, rules
from sharaka.meetings.access import board_capabilities, meeting_capabilities
from sharaka.meetings.models import (
    AgendaItem,
    Ballot,
    BoardDocument,
    Choice,
    Decision,
    DecisionKindChoice,
    Meeting,
    MeetingNotice,
    MeetingStatusChoice,
    MeetingTransition,
    Minutes,
    MinutesSignature,
    Motion,
    MotionStatus,
    PresenceChoice,
    SignatureRole,
)
from sharaka.meetings.selectors.decisions import (
    ChainHeadView,
    appointed_officers,
    chain_head_get,
    public_meeting_get,
    public_meetings,
)
from sharaka.meetings.selectors.meetings import (
    documents_of,
    item_get,
    items_of,
    meeting_list,
    minutes_get,
    minutes_of,
    today,
)
from sharaka.meetings.selectors.roll import (
    MemberRow,
    Roll,
    ballots_of,
    member_rows_for_user,
    quorum_or_none,
    recused_mandates_of,
    roll_get,
)
from sharaka.partnerships.models import Partnership
from sharaka.partnerships.selectors import public_partnership_get

#: The languages a minutes document is offered in, with their own names.
DOC_LANGUAGES = (("fr", "Français"), ("ar", "العربية"), ("en", "English"))

_PRESENT = (PresenceChoice.PRESENT, PresenceChoice.PROXY)
_UPCOMING = frozenset({rules.MeetingStatus.PLANNED, rules.MeetingStatus.CONVENED})
# A conflict of interest is declared before or during the session.
_RECUSAL_OPEN = frozenset({rules.MeetingStatus.CONVENED, rules.MeetingStatus.HELD})


# --- The list of meetings --------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingListPage:
    board: Board | None
    upcoming: list[Meeting]
    past: list[Meeting]
    can_create: bool
    decision_count: int


def meeting_list_view_get(
    *, user: Any, partnership: Partnership, board: Board | None
) -> MeetingListPage:
    """Upcoming meetings (soonest first), past ones (latest first); may ``user`` prepare one?"""
    day = today()
    meetings = list(meeting_list(partnership=partnership))
    upcoming = [m for m in meetings if m.day >= day and m.status in _UPCOMING]
    can_create = board is not None and Perm.MEETING_MANAGE in board_capabilities(
        user, partnership, board_id=board.pk, day=day
    )
    return MeetingListPage(
        board=board,
        upcoming=upcoming[::-1],
        past=[m for m in meetings if m not in upcoming],
        can_create=can_create,
        decision_count=partnership.decisions.count(),
    )


# --- A meeting -------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingPage:
    meeting: Meeting
    can: Capabilities
    roll: Roll
    items: list[AgendaItem]
    quorum: QuorumReport | None
    minutes: Minutes | None
    status: str
    transitions: list[MeetingTransition]
    notices: list[MeetingNotice]
    documents: list[BoardDocument]
    second_convocation: Meeting | None
    agenda_editable: bool
    in_session: bool
    can_add_items: bool  # the form to add an agenda item
    can_add_documents: bool  # the form to add to the board pack
    can_reconvene: bool


def meeting_view_get(*, user: Any, meeting: Meeting) -> MeetingPage:
    can = meeting_capabilities(user, meeting)
    manage = Perm.MEETING_MANAGE in can
    roll = roll_get(meeting=meeting)
    status = meeting.lifecycle_status
    quorum = quorum_or_none(roll)
    return MeetingPage(
        meeting=meeting,
        can=can,
        roll=roll,
        items=items_of(meeting),
        quorum=quorum,
        minutes=minutes_of(meeting) if status in rules.HAS_MINUTES else None,
        status=status.value,
        transitions=list(meeting.transitions.select_related("by")),
        notices=list(meeting.notices.select_related("sent_by")),
        documents=documents_of(meeting),
        second_convocation=getattr(meeting, "second_convocation", None),
        agenda_editable=status in rules.AGENDA_EDITABLE,
        in_session=status in rules.IN_SESSION,
        can_add_items=manage and status in rules.AGENDA_EDITABLE,
        can_add_documents=manage and status in rules.DOCUMENTS_EDITABLE,
        can_reconvene=manage
        and status is rules.MeetingStatus.HELD
        and meeting.convocation_number == 1
        and quorum is not None
        and not quorum.met,
    )


@dataclass(frozen=True)
class ConvocationPreview:
    """What the convocation question tells before sending."""

    rules: RulesInForce
    latest_day: date  # the last day to convene for the notice period
    members: int
    experts: int


def convocation_view_get(*, meeting: Meeting) -> ConvocationPreview:
    in_force = rules_in_force_get(partnership=meeting.partnership, at=meeting.day)
    roll = roll_get(meeting=meeting)
    return ConvocationPreview(
        rules=in_force,
        latest_day=rules.latest_convocation_day(meeting.day, in_force.notice_period_days),
        members=len(roll.voting),
        experts=len(roll.experts),
    )


def reconvene_quorum_get(*, meeting: Meeting) -> Any:
    """The second-convocation quorum of the rules in force (``None``: the same quorum)."""
    return rules_in_force_get(
        partnership=meeting.partnership, at=meeting.day
    ).second_convocation_quorum


# --- Attendance ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PresenceRow:
    member: MemberRow
    label: str
    holder: str
    reference: str


@dataclass(frozen=True)
class AttendancePage:
    meeting: Meeting
    can: Capabilities
    roll: Roll
    quorum: QuorumReport | None
    editable: bool  # the sheet is offered (manager, and the roll call is open)
    presence: list[PresenceRow]


def attendance_view_get(*, user: Any, meeting: Meeting) -> AttendancePage:
    can = meeting_capabilities(user, meeting)
    roll = roll_get(meeting=meeting)
    return AttendancePage(
        meeting=meeting,
        can=can,
        roll=roll,
        quorum=quorum_or_none(roll),
        editable=Perm.MEETING_MANAGE in can
        and meeting.lifecycle_status in rules.ATTENDANCE_EDITABLE,
        presence=_presence(roll),
    )


def _presence(roll: Roll) -> list[PresenceRow]:
    labels = dict(PresenceChoice.choices)
    rows = []
    for member in roll.members:
        record = roll.attendance.get(member.mandate.pk)
        holder = roll.holder_of(member.mandate.pk)
        rows.append(
            PresenceRow(
                member=member,
                label=str(labels.get(record.status, "—")) if record else gettext("non notée"),
                holder=holder.name if holder else "",
                reference=record.proxy_reference if record else "",
            )
        )
    return rows


# --- An agenda item: conflicts of interest, motions, ballots ---------------------------------


@dataclass(frozen=True)
class CastOption:
    """A ballot the user may cast now: their own (``for_mandate`` None) or by proxy."""

    label: str
    for_mandate: int | None = None


@dataclass(frozen=True)
class MotionPanel:
    """One round of the vote on an item, as the user sees it."""

    motion: Motion
    mode: str
    ballot_count: int
    appointment: str = ""
    # an open vote
    eligible: int = 0  # members called to vote (present or represented, not recused)
    casts: tuple[CastOption, ...] = ()
    own_voted: bool = False
    record_voters: tuple[MemberRow, ...] = ()  # whom the secretariat may still record
    recorded: tuple[tuple[str, str, bool], ...] | None = None  # (name, choice, by proxy)
    # a closed vote
    explanation: tuple[str, ...] = ()
    counts: dict[str, int] | None = None
    votes: list[dict[str, Any]] | None = None
    decision: Decision | None = None


@dataclass(frozen=True)
class RecusalOffer:
    """The conflict-of-interest form: the user's own mandate, and whether they record the
    conflict of any member (the secretariat) or declare their own."""

    own_mandate: int | None
    manage: bool


@dataclass(frozen=True)
class ItemPage:
    meeting: Meeting
    item: AgendaItem
    can: Capabilities
    roll: Roll
    recusals: list[tuple[MemberRow | None, Any]]
    item_quorum: QuorumReport | None
    motions: list[MotionPanel]
    in_session: bool
    can_open_motion: bool
    recusal: RecusalOffer | None
    can_next_round: bool
    last: Motion | None
    next_rule: Rule | None
    documents: list[BoardDocument]


def item_view_get(*, user: Any, meeting: Meeting, item_id: int, lang: str) -> ItemPage:
    item = item_get(meeting=meeting, item_id=item_id)
    can = meeting_capabilities(user, meeting)
    manage = Perm.MEETING_MANAGE in can
    roll = roll_get(meeting=meeting)
    recused = recused_mandates_of(item)
    status = meeting.lifecycle_status
    in_session = status in rules.IN_SESSION
    motions = list(item.motions.order_by("round"))
    own = next(iter(member_rows_for_user(roll, user)), None)
    last = motions[-1] if motions else None
    next_round = (
        manage
        and in_session
        and last is not None
        and last.status == MotionStatus.CLOSED
        and not last.adopted
        and rules.next_round_allowed(roll.rule, last.round)
    )
    recusal_open = status in _RECUSAL_OPEN and not any(m.is_open for m in motions)
    return ItemPage(
        meeting=meeting,
        item=item,
        can=can,
        roll=roll,
        recusals=[(roll.by_mandate.get(r.mandate_id), r) for r in item.recusals.all()],
        item_quorum=quorum_or_none(roll, recused_mandates=recused),
        motions=[_panel(roll, m, own, can, lang, recused) for m in motions],
        in_session=in_session,
        can_open_motion=manage and in_session and item.votes and not motions,
        recusal=RecusalOffer(own.mandate.pk if own else None, manage)
        if recusal_open and (manage or (own is not None and own.voting))
        else None,
        can_next_round=next_round,
        last=last,
        next_rule=roll.rule.for_round(last.round + 1) if next_round and last else None,
        documents=list(item.documents.all()),
    )


def _panel(
    roll: Roll,
    motion: Motion,
    own: MemberRow | None,
    can: Capabilities,
    lang: str,
    recused: set[int],
) -> MotionPanel:
    ballots = ballots_of(motion)
    mode = rules.VotingMode(motion.voting_mode)
    common: dict[str, Any] = {
        "motion": motion,
        "mode": mode.value,
        "ballot_count": len(ballots),
        "appointment": _appointment(roll, motion),
    }
    if motion.is_open:
        return _open_panel(roll, motion, own, can, recused, ballots, common)
    outcome = motion.outcome or {}
    return MotionPanel(
        **common,
        explanation=tuple((outcome.get("explanation") or {}).get(lang, [])),
        counts=(outcome.get("result") or {}).get("counts"),
        votes=None if motion.is_secret else _named_votes(outcome),
        decision=getattr(motion, "decision", None) if motion.adopted else None,
    )


def _appointment(roll: Roll, motion: Motion) -> str:
    if not motion.appoint_role:
        return ""
    holder = roll.by_mandate.get(motion.appoint_mandate_id or 0)
    return f"{OfficerRole(motion.appoint_role).label} — {holder.name if holder else '?'}"


def _named_votes(outcome: dict[str, Any]) -> list[dict[str, Any]]:
    labels = dict(Choice.choices)
    return [
        {**vote, "choice": labels.get(vote["choice"], vote["choice"])}
        for vote in outcome.get("votes") or []
    ]


def _open_panel(
    roll: Roll,
    motion: Motion,
    own: MemberRow | None,
    can: Capabilities,
    recused: set[int],
    ballots: list[Ballot],
    common: dict[str, Any],
) -> MotionPanel:
    """Who may still vote, and how: the user's own ballot and the proxies they hold (a
    nominal or secret vote), or the secretariat's sheet (a show of hands, a nominal vote)."""
    mode = rules.VotingMode(motion.voting_mode)
    voted = {b.mandate_id for b in ballots}
    eligible = [
        r
        for r in roll.voting
        if r.mandate.pk not in recused and roll.status_of(r.mandate.pk) in _PRESENT
    ]
    member_casts = own is not None and Perm.BALLOT_CAST_OWN in can and rules.member_may_cast(mode)
    records = Perm.BALLOT_RECORD in can and rules.secretary_may_enter(mode)
    return MotionPanel(
        **common,
        eligible=len(eligible),
        casts=_casts(roll, own, voted, eligible) if member_casts and own else (),
        own_voted=member_casts and own is not None and own.mandate.pk in voted,
        record_voters=tuple(r for r in eligible if r.mandate.pk not in voted) if records else (),
        recorded=tuple(
            (roll.by_mandate[b.mandate_id].name, b.get_choice_display(), b.by_proxy)
            for b in ballots
            if b.mandate_id in roll.by_mandate
        )
        if records
        else None,
    )


def _casts(
    roll: Roll, own: MemberRow, voted: set[int], eligible: list[MemberRow]
) -> tuple[CastOption, ...]:
    """The member's own ballot (present in person, not yet cast) and one per written proxy
    they hold for a member who may vote and has not."""
    casts = []
    mandate = own.mandate.pk
    if (
        mandate not in voted
        and own in eligible
        and roll.status_of(mandate) == PresenceChoice.PRESENT
    ):
        casts.append(CastOption(gettext("Votre vote")))
    for represented in roll.proxies_held_by(mandate):
        if represented.mandate.pk not in voted and represented in eligible:
            label = gettext("Vote pour %(name)s (pouvoir)") % {"name": represented.name}
            casts.append(CastOption(label, represented.mandate.pk))
    return tuple(casts)


# --- Minutes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MinutesPage:
    meeting: Meeting
    minutes: Minutes
    can: Capabilities
    signatures: list[MinutesSignature]
    roles_left: list[tuple[str, str]]  # signatures still expected (value, label)
    approvals: list[AgendaItem]  # the items of later meetings that approve these minutes
    doc: document.MinutesDocument
    doc_html: str
    lang: str
    doc_languages: tuple[tuple[str, str], ...]
    can_publish: bool


def minutes_view_get(*, user: Any, meeting: Meeting, lang: str) -> MinutesPage:
    minutes = minutes_get(meeting)
    can = meeting_capabilities(user, meeting)
    signatures = list(minutes.signatures.select_related("signed_by"))
    doc = document.build(
        minutes, lang=lang, signatures=signatures, errata=list(minutes.errata.all())
    )
    signed = {s.role for s in signatures}
    return MinutesPage(
        meeting=meeting,
        minutes=minutes,
        can=can,
        signatures=signatures,
        roles_left=[(v, str(label)) for v, label in SignatureRole.choices if v not in signed],
        approvals=list(
            minutes.approval_items.select_related("meeting").prefetch_related("decisions")
        ),
        doc=doc,
        doc_html=document.render_html(doc, standalone=False),
        lang=lang,
        doc_languages=DOC_LANGUAGES,
        can_publish=Perm.MEETING_MANAGE in can
        and meeting.status == MeetingStatusChoice.MINUTES_SIGNED,
    )


def minutes_document_get(minutes: Minutes, *, lang: str) -> document.MinutesDocument:
    """The minutes as a document in ``lang``, with their signatures and errata."""
    return document.build(
        minutes,
        lang=lang,
        signatures=list(minutes.signatures.select_related("signed_by")),
        errata=list(minutes.errata.all()),
    )


# --- Decisions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionPage:
    decision: Decision
    snapshot: dict[str, Any]
    explanation: list[str]
    votes: list[dict[str, Any]] | None
    officers: list[Officer]
    can_apply: bool  # apply the appointment the decision made, not applied yet
    rule_text: str


def decision_view_get(*, user: Any, decision: Decision, lang: str) -> DecisionPage:
    snapshot = decision.snapshot
    officers = appointed_officers(decision)
    return DecisionPage(
        decision=decision,
        snapshot=snapshot,
        explanation=(snapshot.get("explanation") or {}).get(lang, []),
        votes=snapshot.get("votes"),
        officers=officers,
        can_apply=decision.kind == DecisionKindChoice.OFFICER_APPOINTMENT
        and bool(decision.motion.appoint_role)
        and not officers
        and can(user, Perm.BOARD_CHANGE, decision.partnership),
        rule_text=_rule_text(snapshot.get("rule_applied") or snapshot.get("rule"), lang),
    )


def _rule_text(rule_dict: dict[str, Any] | None, lang: str) -> str:
    if not rule_dict:
        return ""
    try:
        rule = parse.parse_rule(rule_dict)
    except ValueError:
        return ""
    return describe_rule(rule, lang)


def recusal_offer_get(*, user: Any, meeting: Meeting) -> tuple[Roll, RecusalOffer]:
    """The roll, and the conflict-of-interest form ``user`` gets (their own mandate, and
    whether they record any member's conflict)."""
    roll = roll_get(meeting=meeting)
    own = next(iter(member_rows_for_user(roll, user)), None)
    manage = Perm.MEETING_MANAGE in meeting_capabilities(user, meeting)
    return roll, RecusalOffer(own.mandate.pk if own else None, manage)


# --- The public portal -----------------------------------------------------------------------


@dataclass(frozen=True)
class PublicMinutesList:
    partnership: Partnership
    meetings: list[Meeting]
    head: ChainHeadView | None


def public_minutes_list_get(*, slug: str) -> PublicMinutesList:
    partnership = public_partnership_get(slug=slug)
    return PublicMinutesList(
        partnership=partnership,
        meetings=list(public_meetings(partnership=partnership)),
        head=chain_head_get(),
    )


def public_minutes_get(*, slug: str, meeting_id: int) -> Minutes:
    """The signed minutes of a published meeting (404 for anything else)."""
    partnership = public_partnership_get(slug=slug)
    meeting = public_meeting_get(partnership=partnership, meeting_id=meeting_id)
    minutes = minutes_of(meeting)
    if minutes is None or not minutes.is_signed:
        raise NotFound()
    minutes.meeting = meeting
    return minutes


@dataclass(frozen=True)
class PublicMinutesPage:
    partnership: Partnership
    meeting: Meeting
    doc: document.MinutesDocument
    doc_html: str
    lang: str
    doc_languages: tuple[tuple[str, str], ...]


def public_minutes_view_get(*, minutes: Minutes, lang: str) -> PublicMinutesPage:
    doc = document.build(
        minutes,
        lang=lang,
        signatures=list(minutes.signatures.all()),
        errata=list(minutes.errata.all()),
    )
    return PublicMinutesPage(
        partnership=minutes.meeting.partnership,
        meeting=minutes.meeting,
        doc=doc,
        doc_html=document.render_html(doc, standalone=False),
        lang=lang,
        doc_languages=DOC_LANGUAGES,
    )
