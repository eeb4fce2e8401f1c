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
from sharaka.governance.models import Board, Officer
from sharaka.governance.rules import parse
from sharaka.governance.rules.values import QuorumReport
from sharaka.governance.rules_in_force import RulesInForce
from sharaka.governance.selectors import rules_in_force_get
from sharaka.meetings import document, rules
from sharaka.meetings.access import board_capabilities, meeting_capabilities
from sharaka.meetings.models import (
    AgendaItem,
    BoardDocument,
    Decision,
    DecisionKindChoice,
    Meeting,
    MeetingNotice,
    MeetingStatusChoice,
    MeetingTransition,
    Minutes,
    MinutesSignature,
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
    items_of,
    meeting_list,
    minutes_get,
    minutes_of,
    today,
)
from sharaka.meetings.selectors.roll import (
    MemberRow,
    Roll,
    quorum_or_none,
    roll_get,
)
from sharaka.partnerships.models import Partnership
from sharaka.partnerships.rules import PUBLISHED
from sharaka.partnerships.rules import Status as PartnershipStatus
from sharaka.partnerships.selectors import public_partnership_get

#: The languages a minutes document is offered in, with their own names.
DOC_LANGUAGES = (("fr", "Français"), ("ar", "العربية"), ("en", "English"))

_UPCOMING = frozenset({rules.MeetingStatus.PLANNED, rules.MeetingStatus.CONVENED})


# --- The list of meetings --------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingListPage:
    board: Board | None
    upcoming: list[Meeting]
    past: list[Meeting]
    can_create: bool
    decision_count: int
    #: the portal shows the partnership (else its published-minutes page is a 404)
    public: bool


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
        public=PartnershipStatus(partnership.status) in PUBLISHED,
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
