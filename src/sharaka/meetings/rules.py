"""Pure rules of meetings (no Django import): lifecycle, notice, voting modes, proxies,
decision numbers and the hash chain.

Meeting lifecycle — the only place that says which step may follow which:

    planned --convene--> convened --open--> held --draft_minutes--> minutes_drafted
        --sign_minutes--> minutes_signed --publish--> published
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum
from fractions import Fraction
from typing import Any

from sharaka.governance.rules.values import Fallback, Quorum, Rule, TieBreak

# --- Lifecycle -------------------------------------------------------------------------------


class MeetingStatus(StrEnum):
    PLANNED = "planned"
    CONVENED = "convened"
    HELD = "held"
    MINUTES_DRAFTED = "minutes_drafted"
    MINUTES_SIGNED = "minutes_signed"
    PUBLISHED = "published"


class Action(StrEnum):
    CONVENE = "convene"
    OPEN = "open"
    DRAFT_MINUTES = "draft_minutes"
    SIGN_MINUTES = "sign_minutes"
    PUBLISH = "publish"


TRANSITIONS: dict[MeetingStatus, dict[Action, MeetingStatus]] = {
    MeetingStatus.PLANNED: {Action.CONVENE: MeetingStatus.CONVENED},
    MeetingStatus.CONVENED: {Action.OPEN: MeetingStatus.HELD},
    MeetingStatus.HELD: {Action.DRAFT_MINUTES: MeetingStatus.MINUTES_DRAFTED},
    MeetingStatus.MINUTES_DRAFTED: {Action.SIGN_MINUTES: MeetingStatus.MINUTES_SIGNED},
    MeetingStatus.MINUTES_SIGNED: {Action.PUBLISH: MeetingStatus.PUBLISHED},
    MeetingStatus.PUBLISHED: {},
}

#: Statuses in which the agenda may still change (before the convocation is sent).
AGENDA_EDITABLE = frozenset({MeetingStatus.PLANNED})
#: Statuses in which board-pack documents may be added.
DOCUMENTS_EDITABLE = frozenset({MeetingStatus.PLANNED, MeetingStatus.CONVENED})
#: Statuses in which attendance is taken (roll call when the session opens, and during it).
ATTENDANCE_EDITABLE = frozenset({MeetingStatus.CONVENED, MeetingStatus.HELD})
#: Statuses in which the board deliberates (conflicts, motions, ballots).
IN_SESSION = frozenset({MeetingStatus.HELD})
#: Statuses after which the minutes exist.
HAS_MINUTES = frozenset(
    {MeetingStatus.MINUTES_DRAFTED, MeetingStatus.MINUTES_SIGNED, MeetingStatus.PUBLISHED}
)


def next_status(current: MeetingStatus, action: Action) -> MeetingStatus | None:
    """The status ``action`` leads to from ``current``; ``None`` when it is not allowed."""
    return TRANSITIONS[current].get(action)


def allowed_actions(current: MeetingStatus) -> tuple[Action, ...]:
    return tuple(TRANSITIONS[current])


def required_status(action: Action) -> MeetingStatus:
    """The one status from which ``action`` is possible."""
    for status, actions in TRANSITIONS.items():
        if action in actions:
            return status
    raise ValueError(action)  # pragma: no cover - every action appears once


# --- Notice period ---------------------------------------------------------------------------


def earliest_meeting_day(convened_on: date, notice_days: int) -> date:
    """The first day a meeting convened on ``convened_on`` may be held."""
    return convened_on + timedelta(days=notice_days)


def notice_respected(convened_on: date, meeting_day: date, notice_days: int) -> bool:
    return meeting_day >= earliest_meeting_day(convened_on, notice_days)


def latest_convocation_day(meeting_day: date, notice_days: int) -> date:
    """The last day on which a meeting on ``meeting_day`` can still be convened."""
    return meeting_day - timedelta(days=notice_days)


# --- Agenda, voting modes --------------------------------------------------------------------


class ItemKind(StrEnum):
    INFORMATION = "information"
    DELIBERATION = "deliberation"
    ELECTION = "election"
    MINUTES_APPROVAL = "minutes_approval"


#: Agenda items on which the board votes.
VOTING_ITEMS = frozenset({ItemKind.DELIBERATION, ItemKind.ELECTION, ItemKind.MINUTES_APPROVAL})


class VotingMode(StrEnum):
    SHOW_OF_HANDS = "show_of_hands"  # the secretary enters each member's vote
    NOMINAL = "nominal"  # each member casts a named vote (or the secretary enters it)
    SECRET = "secret"  # noqa: S105 - each member casts a vote nobody else ever sees


def secretary_may_enter(mode: VotingMode) -> bool:
    return mode in (VotingMode.SHOW_OF_HANDS, VotingMode.NOMINAL)


def member_may_cast(mode: VotingMode) -> bool:
    return mode in (VotingMode.NOMINAL, VotingMode.SECRET)


def rule_for_mode(rule: Rule, mode: VotingMode) -> Rule:
    """The rule a vote in ``mode`` is tallied with. In a secret vote nobody's choice is
    known, the chair's included, so the chair's casting vote cannot break a tie (in the
    primary rule nor in its fallback): a tie stays a tie."""
    if mode is not VotingMode.SECRET:
        return rule
    fallback = rule.fallback
    if fallback is not None:
        fallback = replace(fallback, rule=replace(fallback.rule, tie_break=TieBreak.NONE))
    return replace(rule, tie_break=TieBreak.NONE, fallback=fallback)


def secret_votes_by_member(
    voters_by_college: Mapping[str, Sequence[int]], choices_by_college: Mapping[str, Sequence[str]]
) -> dict[int, str]:
    """Engine input for a secret vote: each college's anonymous choices dealt to the members
    of that college who voted (in mandate order, choices sorted). Who gets which choice is
    arbitrary and meaningless; the counts, overall and per college, are exact.

    Raises ``ValueError`` when a college's number of choices and of voters differ."""
    votes: dict[int, str] = {}
    for college in sorted(set(voters_by_college) | set(choices_by_college)):
        voters = sorted(voters_by_college.get(college, ()))
        choices = sorted(choices_by_college.get(college, ()))
        if len(voters) != len(choices):
            raise ValueError(
                f"college {college!r}: {len(voters)} voters but {len(choices)} secret choices"
            )
        votes.update(zip(voters, choices, strict=True))
    return votes


class DecisionKind(StrEnum):
    OFFICER_APPOINTMENT = "officer_appointment"
    ACTION_PLAN_ADOPTION = "action_plan_adoption"
    DELEGATION = "delegation"
    MINUTES_APPROVAL = "minutes_approval"
    OTHER = "other"


def default_decision_kind(item_kind: ItemKind) -> DecisionKind:
    if item_kind is ItemKind.ELECTION:
        return DecisionKind.OFFICER_APPOINTMENT
    if item_kind is ItemKind.MINUTES_APPROVAL:
        return DecisionKind.MINUTES_APPROVAL
    return DecisionKind.OTHER


# --- Attendance and proxies ------------------------------------------------------------------


class Presence(StrEnum):
    PRESENT = "present"
    EXCUSED = "excused"
    ABSENT = "absent"
    PROXY = "proxy"


@dataclass(frozen=True)
class AttendanceEntry:
    status: Presence
    holder: str | None = None  # the member holding the proxy (status PROXY only)
    reference: str = ""  # the written proxy's reference


@dataclass(frozen=True)
class AttendanceProblem:
    member: str
    code: str  # proxy_holder_missing | proxy_reference_missing | proxy_self | proxy_holder_absent
    #          | proxy_holder_not_voting | proxy_limit | proxy_from_non_voting
    holder: str | None = None
    count: int = 0


def attendance_problems(
    entries: Mapping[str, AttendanceEntry], voting: set[str], max_proxies: int
) -> list[AttendanceProblem]:
    """What is wrong with a roll call, member by member (empty list: it is consistent).

    A proxy is given by a voting member to another voting member who attends in person;
    it is written (a reference is recorded) and one holder carries at most ``max_proxies``.
    """
    problems: list[AttendanceProblem] = []
    held: dict[str, list[str]] = {}
    for member in sorted(entries):
        entry = entries[member]
        if entry.status is not Presence.PROXY:
            continue
        holder = entry.holder
        if member not in voting:
            problems.append(AttendanceProblem(member, "proxy_from_non_voting"))
            continue
        if not holder:
            problems.append(AttendanceProblem(member, "proxy_holder_missing"))
            continue
        if holder == member:
            problems.append(AttendanceProblem(member, "proxy_self"))
            continue
        if not entry.reference.strip():
            problems.append(AttendanceProblem(member, "proxy_reference_missing", holder))
        if holder not in voting:
            problems.append(AttendanceProblem(member, "proxy_holder_not_voting", holder))
            continue
        holder_entry = entries.get(holder)
        if holder_entry is None or holder_entry.status is not Presence.PRESENT:
            problems.append(AttendanceProblem(member, "proxy_holder_absent", holder))
            continue
        held.setdefault(holder, []).append(member)
    for holder, givers in sorted(held.items()):
        if len(givers) > max_proxies:
            problems.append(AttendanceProblem(givers[-1], "proxy_limit", holder, count=len(givers)))
    return problems


# --- Rule applied at a meeting ---------------------------------------------------------------


def meeting_rule(rule: Rule, *, second_convocation_quorum: Fraction | None) -> Rule:
    """The decision rule of a meeting: on a second convocation, the second-convocation
    quorum replaces the quorum (of the fallback rule too, when it has its own)."""
    if second_convocation_quorum is None:
        return rule
    per_college = rule.effective_quorum.per_college
    quorum = Quorum(fraction=second_convocation_quorum, per_college=per_college)
    fallback = rule.fallback
    if fallback is not None and fallback.rule.quorum is not None:
        fallback = Fallback(
            from_round=fallback.from_round,
            rule=replace(
                fallback.rule,
                quorum=Quorum(
                    fraction=second_convocation_quorum,
                    per_college=fallback.rule.quorum.per_college,
                ),
            ),
        )
    return replace(rule, quorum=quorum, fallback=fallback)


def next_round_allowed(rule: Rule, current_round: int) -> bool:
    """A new round only makes sense when a later round applies another rule (fallback)."""
    return rule.fallback is not None and current_round < rule.fallback.from_round


def rule_as_dict(rule: Rule) -> dict[str, Any]:
    """A rule in the JSON shape of the rules contract (``parse_rule`` reads it back)."""
    result: dict[str, Any] = {"method": rule.method.value, "base": rule.base.value}
    if rule.threshold is not None:
        result["threshold"] = str(rule.threshold)
    if rule.quorum is not None:
        result["quorum"] = {
            "fraction": str(rule.quorum.fraction),
            "per_college": None
            if rule.quorum.per_college is None
            else str(rule.quorum.per_college),
        }
    if rule.max_proxies_per_member is not None:
        result["max_proxies_per_member"] = rule.max_proxies_per_member
    result["tie_break"] = rule.tie_break.value
    if rule.colleges is not None:
        colleges = rule.colleges
        result["colleges"] = {
            "method": colleges.method.value,
            "base": colleges.base.value,
            "required": colleges.required
            if isinstance(colleges.required, int)
            else colleges.required.value,
            **({"threshold": str(colleges.threshold)} if colleges.threshold is not None else {}),
        }
    if rule.fallback is not None:
        result["fallback"] = {
            "from_round": rule.fallback.from_round,
            "rule": rule_as_dict(rule.fallback.rule),
        }
    return result


# --- Decision register -----------------------------------------------------------------------

DECISION_PREFIX = "CA"


def decision_number(year: int, sequence: int, prefix: str = DECISION_PREFIX) -> str:
    """``CA-2026-007``: the board's decisions numbered per partnership and year."""
    return f"{prefix}-{year:04d}-{sequence:03d}"


# --- Hash chain ------------------------------------------------------------------------------

GENESIS = "0" * 64


def canonical_json(content: Any) -> str:
    """One text for one content: sorted keys, no spaces, UTF-8 kept as is."""
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def chain_hash(prev_hash: str, content: Any, key: bytes) -> str:
    """``HMAC-SHA256(key, prev_hash + canonical_json(content))`` in hexadecimal.

    Keyed: whoever can rewrite the database but does not hold the key (kept outside it)
    cannot recompute a chain that verifies."""
    data = (prev_hash + canonical_json(content)).encode("utf-8")
    return hmac.new(key, data, hashlib.sha256).hexdigest()


def is_hash(value: str) -> bool:
    """64 lower-case hexadecimal digits, as :func:`chain_hash` writes them."""
    return len(value) == 64 and all(c in "0123456789abcdef" for c in value)


@dataclass(frozen=True)
class ChainRecord:
    """A record as found in the database, for verification."""

    position: int
    label: str  # "decision CA-2026-007 (id 12)"
    stored_prev: str
    stored_hash: str
    content: Any  # recomputed from the record's current columns; None: record missing


@dataclass(frozen=True)
class ChainBreak:
    position: int
    label: str
    problem: str  # "hash mismatch", "previous hash mismatch", "missing record", "gap"

    def __str__(self) -> str:
        return f"{self.label}: {self.problem}"


def verify_chain(records: Sequence[ChainRecord], key: bytes) -> ChainBreak | None:
    """The first break of the chain (records in position order), or ``None``."""
    previous = GENESIS
    expected_position = 1
    for record in records:
        if record.position != expected_position:
            return ChainBreak(record.position, record.label, "gap before this position")
        if record.content is None:
            return ChainBreak(record.position, record.label, "missing record")
        if record.stored_prev != previous:
            return ChainBreak(record.position, record.label, "previous hash mismatch")
        if not hmac.compare_digest(
            chain_hash(record.stored_prev, record.content, key), record.stored_hash
        ):
            return ChainBreak(record.position, record.label, "hash mismatch")
        previous = record.stored_hash
        expected_position += 1
    return None


@dataclass(frozen=True)
class Anchor:
    """A head published earlier (portal, signed minutes, exported file): the chain must
    still hold ``hash``, at ``position`` when it is known."""

    hash: str
    position: int | None = None


def anchor_problem(records: Sequence[ChainRecord], anchor: Anchor) -> str | None:
    """Why a verified chain does not contain or extend ``anchor`` (``None``: it does).

    The chain is keyed, so a record holding the published hash at that position proves that
    everything up to it is the chain that was published; a chain that lost records after it
    (truncated, head moved back) or was rebuilt no longer holds it."""
    if anchor.position is not None:
        if anchor.position > len(records):
            return (
                f"published head (position {anchor.position}) is beyond the last record "
                f"(position {len(records)}): records were removed"
            )
        if anchor.position < 1 or records[anchor.position - 1].stored_hash != anchor.hash:
            return f"published head (position {anchor.position}) differs from the chain"
        return None
    if any(record.stored_hash == anchor.hash for record in records):
        return None
    return f"published head {anchor.hash} is not in the chain (records removed or rewritten)"
