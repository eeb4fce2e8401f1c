"""The view model of an agenda item's page: its quorum, conflicts of interest and, for each
round of the vote, who may still cast a ballot and for whom (their own, the written proxies
they hold), what the secretariat records, and the result once closed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext

from sharaka.core.access import Capabilities, Perm
from sharaka.governance.models import OfficerRole
from sharaka.governance.rules import Rule
from sharaka.governance.rules.values import QuorumReport
from sharaka.meetings import rules
from sharaka.meetings.access import meeting_capabilities
from sharaka.meetings.models import (
    AgendaItem,
    Ballot,
    BoardDocument,
    Choice,
    Decision,
    Meeting,
    Motion,
    MotionStatus,
    PresenceChoice,
)
from sharaka.meetings.selectors.meetings import (
    item_get,
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
from sharaka.partnerships.ports import ConflictLine, conflicts_of_interest

_PRESENT = (PresenceChoice.PRESENT, PresenceChoice.PROXY)
# A conflict of interest is declared before or during the session.
_RECUSAL_OPEN = frozenset({rules.MeetingStatus.CONVENED, rules.MeetingStatus.HELD})


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
    #: the elected members sitting at the meeting with an interest in the association the
    #: item concerns (law 113-14 art. 65), declared or not
    conflicts: list[ConflictLine]

    @property
    def undeclared_conflicts(self) -> list[ConflictLine]:
        return [c for c in self.conflicts if not c.declared]


def _item_conflicts(meeting: Meeting, item: AgendaItem, roll: Roll) -> list[ConflictLine]:
    """The conflicts of interest of the members on the roll in the association the item
    concerns. 4 queries at most (none when the item concerns no association)."""
    if item.association_id is None:
        return []
    sitting = {row.person.pk for row in roll.members}
    return [
        c
        for c in conflicts_of_interest.provider(meeting.partnership)
        if c.association_id == item.association_id and c.person_id in sitting
    ]


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
        conflicts=_item_conflicts(meeting, item, roll),
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


def recusal_offer_get(*, user: Any, meeting: Meeting) -> tuple[Roll, RecusalOffer]:
    """The roll, and the conflict-of-interest form ``user`` gets (their own mandate, and
    whether they record any member's conflict)."""
    roll = roll_get(meeting=meeting)
    own = next(iter(member_rows_for_user(roll, user)), None)
    manage = Perm.MEETING_MANAGE in meeting_capabilities(user, meeting)
    return roll, RecusalOffer(own.mandate.pk if own else None, manage)
