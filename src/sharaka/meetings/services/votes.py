"""Motions, ballots, the close of a vote and the decisions it records in the hash chain;
officer appointments decided by the board."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext

from sharaka.core.access import Perm, require, signed_in
from sharaka.core.errors import AccessDenied, DomainError, ValidationFailed
from sharaka.core.types import Actor
from sharaka.governance import services as governance_services
from sharaka.governance.models import Mandate, Officer, OfficerRole
from sharaka.meetings import chain, rules
from sharaka.meetings.access import meeting_can, meeting_require
from sharaka.meetings.error_codes import DecisionUseErrorCode
from sharaka.meetings.error_codes import MeetingErrorCode as Code
from sharaka.meetings.models import (
    AgendaItem,
    Ballot,
    ChainRecordType,
    Choice,
    Decision,
    DecisionKindChoice,
    Meeting,
    Motion,
    MotionStatus,
    PresenceChoice,
    SecretChoice,
    VotingModeChoice,
)
from sharaka.meetings.selectors import (
    MemberRow,
    Roll,
    engine_inputs,
    quorum_get,
    recused_mandates_of,
    roll_get,
    run_tally,
)
from sharaka.meetings.services.common import (
    LANGS,
    _day,
    _in_session,
    _lock,
    _member_row,
    _now,
    _own_row,
)
from sharaka.partnerships.models import Partnership

# --- Motions -------------------------------------------------------------------------------------


def _check_quorum(roll: Roll, item: AgendaItem, round_number: int) -> None:
    report = quorum_get(roll, recused_mandates=recused_mandates_of(item), round_number=round_number)
    if not report.met:
        raise DomainError(
            Code.QUORUM_NOT_MET,
            gettext(
                "Quorum non atteint sur ce point : %(present)s membres présents ou "
                "représentés sur %(electorate)s appelés à voter, il en faut %(required)s. "
                "Le conseil ne peut pas délibérer."
            )
            % {
                "present": report.present,
                "electorate": report.electorate,
                "required": report.required,
            },
        )


def _check_appointment(roll: Roll, role: str, mandate_id: int | None) -> None:
    if not role and mandate_id is None:
        return
    if role not in OfficerRole.values:
        raise DomainError(
            Code.APPOINTMENT_INVALID, gettext("Fonction inconnue."), field="appoint_role"
        )
    row = roll.by_mandate.get(mandate_id or 0)
    if row is None or not row.voting:
        raise DomainError(
            Code.APPOINTMENT_INVALID,
            gettext("Le bureau se choisit parmi les membres avec voix délibérative."),
            field="appoint_mandate",
        )


@transaction.atomic
def motion_open(
    *,
    by: Actor,
    item: AgendaItem,
    text: str,
    voting_mode: str,
    decision_kind: str = "",
    appoint_role: str = "",
    appoint_mandate_id: int | None = None,
    at: datetime | None = None,
) -> Motion:
    """Open the vote on ``item`` (first round); refused without a quorum on that item."""
    meeting_require(by, Perm.MEETING_MANAGE, item.meeting)
    meeting = _lock(item.meeting)
    _in_session(meeting)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if not item.votes:
        raise DomainError(Code.ITEM_NOT_VOTING, gettext("Un point d'information ne se vote pas."))
    if Motion.objects.filter(item=item).exists():
        raise DomainError(
            Code.MOTION_ALREADY_OPEN,
            gettext(
                "Ce point a déjà été mis au vote ; un nouveau tour s'ouvre depuis le "
                "résultat du précédent."
            ),
        )
    if voting_mode not in VotingModeChoice.values:
        raise ValidationFailed(
            gettext("Mode de scrutin inconnu."),
            {"voting_mode": [gettext("Mode de scrutin inconnu.")]},
        )
    kind = decision_kind or rules.default_decision_kind(rules.ItemKind(item.kind)).value
    if kind not in DecisionKindChoice.values:
        raise ValidationFailed(
            gettext("Nature de décision inconnue."),
            {"decision_kind": [gettext("Nature de décision inconnue.")]},
        )
    if not text.strip():
        raise ValidationFailed(
            gettext("Écrivez le texte soumis au vote."),
            {"text": [gettext("Ce champ est obligatoire.")]},
        )
    roll = roll_get(meeting=meeting)
    _check_appointment(roll, appoint_role, appoint_mandate_id)
    _check_quorum(roll, item, 1)
    return Motion.objects.create(
        item=item,
        round=1,
        text=text.strip(),
        voting_mode=voting_mode,
        decision_kind=kind,
        appoint_role=appoint_role,
        appoint_mandate_id=appoint_mandate_id,
        opened_by=signed_in(by),
        opened_at=_now(at),
    )


@transaction.atomic
def motion_next_round(*, by: Actor, motion: Motion, at: datetime | None = None) -> Motion:
    """After a round that did not adopt the motion, a new round under the rule that applies
    then (consensus first, then the fallback majority)."""
    meeting_require(by, Perm.MEETING_MANAGE, motion.item.meeting)
    meeting = _lock(motion.item.meeting)
    _in_session(meeting)
    motion = Motion.objects.select_for_update().get(pk=motion.pk)
    if motion.status != MotionStatus.CLOSED:
        raise DomainError(Code.MOTION_OPEN, gettext("Clôturez d'abord le vote en cours."))
    if motion.adopted:
        raise DomainError(Code.MOTION_ALREADY_DECIDED, gettext("La motion a été adoptée."))
    if Motion.objects.filter(item_id=motion.item_id, round__gt=motion.round).exists():
        raise DomainError(Code.ROUND_NOT_ALLOWED, gettext("Un tour suivant existe déjà."))
    roll = roll_get(meeting=meeting)
    if not rules.next_round_allowed(roll.rule, motion.round):
        raise DomainError(
            Code.ROUND_NOT_ALLOWED,
            gettext(
                "Les règles en vigueur ne prévoient pas d'autre tour : la motion n'est pas adoptée."
            ),
        )
    next_round = motion.round + 1
    _check_quorum(roll, motion.item, next_round)
    return Motion.objects.create(
        item=motion.item,
        round=next_round,
        text=motion.text,
        voting_mode=motion.voting_mode,
        decision_kind=motion.decision_kind,
        appoint_role=motion.appoint_role,
        appoint_mandate_id=motion.appoint_mandate_id,
        opened_by=signed_in(by),
        opened_at=_now(at),
    )


# --- Ballots -------------------------------------------------------------------------------------


def _open_motion(motion: Motion) -> tuple[Meeting, Motion]:
    """Lock the motion (ballots queue on it; no ballot after the close) and check it."""
    locked = Motion.objects.select_for_update().select_related("item").get(pk=motion.pk)
    meeting = Meeting.objects.select_related("partnership", "board").get(pk=locked.item.meeting_id)
    if locked.status != MotionStatus.OPEN:
        raise DomainError(
            Code.MOTION_CLOSED, gettext("Le vote est clos : plus aucun bulletin n'est accepté.")
        )
    _in_session(meeting)
    return meeting, locked


def _check_voter(roll: Roll, motion: Motion, row: MemberRow, *, via_proxy: bool) -> None:
    name = row.name
    if not row.voting:
        raise DomainError(
            Code.NOT_A_VOTING_MEMBER,
            gettext("%(member)s siège sans voix délibérative et ne vote pas.") % {"member": name},
        )
    if row.mandate.pk in recused_mandates_of(motion.item):
        raise DomainError(
            Code.RECUSED,
            gettext(
                "%(member)s a déclaré un conflit d'intérêts sur ce point et ne "
                "prend pas part au vote."
            )
            % {"member": name},
        )
    status = roll.status_of(row.mandate.pk)
    if status == PresenceChoice.PROXY and not via_proxy:
        holder = roll.holder_of(row.mandate.pk)
        raise DomainError(
            Code.REPRESENTED,
            gettext("%(member)s est représenté·e : %(holder)s vote pour lui ou elle.")
            % {"member": name, "holder": holder.name if holder else "?"},
        )
    if status not in (PresenceChoice.PRESENT, PresenceChoice.PROXY):
        raise DomainError(
            Code.ABSENT,
            gettext("%(member)s n'est pas noté·e présent·e : pas de vote.") % {"member": name},
        )
    if via_proxy:
        holder = roll.holder_of(row.mandate.pk)
        if holder is not None and holder.mandate.pk in recused_mandates_of(motion.item):
            raise DomainError(
                Code.RECUSED,
                gettext(
                    "Le porteur du pouvoir a déclaré un conflit d'intérêts "
                    "sur ce point : le pouvoir ne s'y applique pas."
                ),
            )


def _insert_ballot(
    motion: Motion, row: MemberRow, choice: str, *, by: Actor, by_proxy: bool, secretary: bool
) -> Ballot:
    if choice not in Choice.values:
        raise ValidationFailed(
            gettext("Vote inconnu : pour, contre ou abstention."),
            {"choice": [gettext("Vote inconnu.")]},
        )
    secret = motion.is_secret
    ballot = Ballot(
        motion=motion,
        mandate=row.mandate,
        choice=None if secret else choice,  # a secret choice is stored apart, naming no one
        by_proxy=by_proxy,
        entered_by_secretary=secretary,
        recorded_by=signed_in(by),
    )
    try:
        with transaction.atomic():
            ballot.save()
            if secret:
                SecretChoice(motion=motion, college=row.college, choice=choice).save()
    except IntegrityError:
        raise DomainError(
            Code.ALREADY_VOTED,
            gettext("Le vote de %(member)s est déjà enregistré : un seul bulletin par membre.")
            % {"member": row.name},
        ) from None
    return ballot


@transaction.atomic
def ballot_cast(
    *, by: Actor, motion: Motion, choice: str, for_mandate_id: int | None = None
) -> Ballot:
    """A member casts their own ballot (nominal or secret vote), or the ballot of the
    member whose written proxy they hold (``for_mandate_id``)."""
    require(by, Perm.MEETING_VIEW, motion.item.meeting.partnership)
    meeting, motion = _open_motion(motion)
    meeting_require(by, Perm.BALLOT_CAST_OWN, meeting)
    if not rules.member_may_cast(rules.VotingMode(motion.voting_mode)):
        raise DomainError(
            Code.MODE_FORBIDS, gettext("Vote à main levée : le secrétariat saisit les votes.")
        )
    roll = roll_get(meeting=meeting)
    own = _own_row(by, roll)
    if for_mandate_id is None or for_mandate_id == own.mandate.pk:
        row, via_proxy = own, False
    else:
        represented = roll.by_mandate.get(for_mandate_id)
        holder = roll.holder_of(for_mandate_id) if represented else None
        if represented is None or holder is None or holder.mandate.pk != own.mandate.pk:
            raise DomainError(
                Code.REPRESENTED, gettext("Vous ne portez pas le pouvoir de ce membre.")
            )
        row, via_proxy = represented, True
        _check_voter(roll, motion, own, via_proxy=False)
    _check_voter(roll, motion, row, via_proxy=via_proxy)
    return _insert_ballot(motion, row, choice, by=by, by_proxy=via_proxy, secretary=False)


@transaction.atomic
def ballot_record(*, by: Actor, motion: Motion, mandate_id: int, choice: str) -> Ballot:
    """The secretary enters one member's vote (show of hands, or a nominal vote)."""
    require(by, Perm.MEETING_VIEW, motion.item.meeting.partnership)
    meeting, motion = _open_motion(motion)
    if not meeting_can(by, Perm.BALLOT_RECORD, meeting):
        raise AccessDenied(gettext("Seul le secrétariat du conseil saisit les votes."))
    if not rules.secretary_may_enter(rules.VotingMode(motion.voting_mode)):
        raise DomainError(
            Code.MODE_FORBIDS,
            gettext(
                "Scrutin secret : chaque membre vote lui-même ; personne ne "
                "saisit le vote d'un autre."
            ),
        )
    roll = roll_get(meeting=meeting)
    row = _member_row(roll, mandate_id)
    via_proxy = roll.status_of(mandate_id) == PresenceChoice.PROXY
    _check_voter(roll, motion, row, via_proxy=via_proxy)
    return _insert_ballot(motion, row, choice, by=by, by_proxy=via_proxy, secretary=True)


@transaction.atomic
def ballots_record(*, by: Actor, motion: Motion, choices: Mapping[int, str]) -> list[Ballot]:
    """Several votes entered at once (a show of hands), all or none."""
    return [
        ballot_record(by=by, motion=motion, mandate_id=mandate_id, choice=choice)
        for mandate_id, choice in choices.items()
        if choice
    ]


# --- Closing a vote, decisions -------------------------------------------------------------------


def _engine_votes(roll: Roll, motion: Motion, ballots: list[Ballot]) -> dict[int, str]:
    """Mandate -> choice for the rules engine. A secret vote's choices name no one: each
    college's choices are dealt to that college's voters (``rules.secret_votes_by_member``),
    which keeps every count exact and tells nothing about anyone."""
    if not motion.is_secret:
        return {b.mandate_id: str(b.choice) for b in ballots}
    voters: dict[str, list[int]] = {}
    for b in ballots:
        voters.setdefault(roll.by_mandate[b.mandate_id].college, []).append(b.mandate_id)
    choices: dict[str, list[str]] = {}
    for college, choice in motion.secret_choices.values_list("college", "choice"):
        choices.setdefault(college, []).append(choice)
    return rules.secret_votes_by_member(voters, choices)


def _snapshot(roll: Roll, motion: Motion, ballots: list[Ballot], at: datetime) -> dict[str, Any]:
    recused = recused_mandates_of(motion.item)
    votes = _engine_votes(roll, motion, ballots)
    mode = rules.VotingMode(motion.voting_mode)
    outcomes = {
        lang: run_tally(
            roll,
            recused_mandates=recused,
            ballots=votes,
            round_number=motion.round,
            lang=lang,
            mode=mode,
        )
        for lang in LANGS
    }
    outcome = outcomes["fr"]

    inputs = engine_inputs(roll, recused_mandates=recused)
    secret = motion.voting_mode == VotingModeChoice.SECRET
    result = outcome.as_dict()
    del result["explanation"]
    return {
        "round": motion.round,
        "voting_mode": motion.voting_mode,
        "rules_source": roll.rules.source,
        "rule": rules.rule_as_dict(rules.rule_for_mode(roll.rule, mode)),
        "rule_applied": rules.rule_as_dict(outcome.rule_applied)
        if outcome.rule_applied is not None
        else None,
        "second_convocation_quorum": roll.meeting.quorum_override or None,
        "electorate": [
            {
                "id": row.key,
                "mandate_id": row.mandate.pk,
                "person_id": row.person.pk,
                "organization": row.organization,
                "college": row.college,
                "chair": row.chair,
            }
            for row in roll.voting
        ],
        "attendance": {key: str(value) for key, value in inputs.attendance.items()},
        "proxy_references": {
            roll.by_mandate[m].key: a.proxy_reference
            for m, a in roll.attendance.items()
            if a.status == PresenceChoice.PROXY and m in roll.by_mandate
        },
        "recused": inputs.recused,
        "lapsed_proxies": inputs.lapsed_proxies,
        "votes": None
        if secret
        else [
            {"name": roll.by_mandate[b.mandate_id].key, "choice": b.choice, "by_proxy": b.by_proxy}
            for b in ballots
            if b.mandate_id in roll.by_mandate
        ],
        "result": result,
        "explanation": {lang: list(o.explanation) for lang, o in outcomes.items()},
        "closed_at": at.isoformat(),
    }


def _allocate_number(partnership: Partnership, year: int) -> int:
    """The next sequence number of the year, under a lock on the partnership row."""
    Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
    last = Decision.objects.filter(partnership=partnership, year=year).aggregate(m=Max("sequence"))[
        "m"
    ]
    return (last or 0) + 1


def _decision_title(motion: Motion) -> str:
    return motion.item.title[:300]


def _record_decision(
    *, by: Actor, meeting: Meeting, motion: Motion, snapshot: dict[str, Any], at: datetime
) -> Decision:
    year = meeting.day.year
    sequence = _allocate_number(meeting.partnership, year)
    decision = Decision(
        partnership=meeting.partnership,
        year=year,
        sequence=sequence,
        number=rules.decision_number(year, sequence),
        meeting=meeting,
        item=motion.item,
        motion=motion,
        kind=motion.decision_kind,
        title=_decision_title(motion),
        text=motion.text,
        decided_on=meeting.day,
        snapshot=snapshot,
        created_by=signed_in(by),
        created_at=at,
    )
    chain.append(ChainRecordType.DECISION, decision, lambda: chain.decision_content(decision))
    decision.save()
    chain.link(ChainRecordType.DECISION, decision)
    return decision


@dataclass
class CloseResult:
    motion: Motion
    decision: Decision | None
    appointment_error: str = ""


@transaction.atomic
def motion_close(*, by: Actor, motion: Motion, at: datetime | None = None) -> CloseResult:
    """Close the vote: no ballot after this. The rules engine decides with the rule in force;
    an adopted motion becomes a numbered decision in the hash chain."""
    meeting_require(by, Perm.MEETING_MANAGE, motion.item.meeting)
    meeting, motion = _open_motion(motion)
    now = _now(at)
    roll = roll_get(meeting=meeting)
    ballots = list(Ballot.objects.filter(motion=motion).order_by("pk"))
    snapshot = _snapshot(roll, motion, ballots, now)
    motion.status = MotionStatus.CLOSED
    motion.closed_at = now
    motion.closed_by = signed_in(by)
    motion.adopted = bool(snapshot["result"]["adopted"])
    motion.outcome = snapshot
    secret_choices = list(SecretChoice.objects.filter(motion=motion))
    chain.append(
        ChainRecordType.MOTION,
        motion,
        lambda: chain.motion_content(motion, ballots, secret_choices),
    )
    motion.save()
    chain.link(ChainRecordType.MOTION, motion)
    decision = None
    error = ""
    if motion.adopted:
        decision = _record_decision(
            by=by, meeting=meeting, motion=motion, snapshot=snapshot, at=now
        )
        if motion.decision_kind == DecisionKindChoice.OFFICER_APPOINTMENT and motion.appoint_role:
            try:
                with transaction.atomic():
                    _appoint(by=by, decision=decision)
            except DomainError as failure:
                error = failure.message
    return CloseResult(motion=motion, decision=decision, appointment_error=error)


def _appoint(*, by: Actor, decision: Decision) -> Officer:
    motion = decision.motion
    if motion.appoint_mandate_id is None:
        raise DomainError(Code.APPOINTMENT_INVALID, gettext("La décision ne nomme personne."))
    mandate = Mandate.objects.select_related("seat").get(pk=motion.appoint_mandate_id)
    return governance_services.officer_appoint(
        by=by,
        board=decision.meeting.board,
        mandate=mandate,
        role=motion.appoint_role,
        start_date=decision.decided_on,
        appointment_note=gettext("Décision %(number)s du conseil du %(day)s")
        % {"number": decision.number, "day": _day(decision.decided_on)},
        appointing_decision_id=decision.pk,
    )


@transaction.atomic
def decision_apply_appointment(*, by: Actor, decision: Decision) -> Officer:
    """Appoint the officer an adopted decision named, through the governance service (which
    records the decision as the appointing one). For when the role was still held at the
    close of the vote: end the previous term first, then apply."""
    require(by, Perm.DECISION_VIEW, decision.partnership)
    if decision.kind != DecisionKindChoice.OFFICER_APPOINTMENT or not decision.motion.appoint_role:
        raise DomainError(
            Code.APPOINTMENT_INVALID, gettext("Cette décision ne nomme personne au bureau.")
        )
    if Officer.objects.filter(appointing_decision_id=decision.pk).exists():
        raise DomainError(
            Code.APPOINTMENT_ALREADY_APPLIED, gettext("La nomination décidée est déjà appliquée.")
        )
    return _appoint(by=by, decision=decision)


def decision_require(
    decision: Decision, *, partnership_id: int, kind: DecisionKindChoice, wrong_kind: str
) -> None:
    """Refuse, on the field ``decision``, a decision that another partnership's board took
    or that is not of ``kind`` (another app's act it grounds: a plan adopted, a delegation).
    ``wrong_kind`` is the translated refusal, with ``%(number)s`` and ``%(kind)s``."""
    if decision.partnership_id != partnership_id:
        raise DomainError(
            DecisionUseErrorCode.OTHER_PARTNERSHIP,
            gettext("Cette décision a été prise par le conseil d'un autre partenariat."),
            field="decision",
        )
    if decision.kind != kind:
        raise DomainError(
            DecisionUseErrorCode.WRONG_KIND,
            wrong_kind % {"number": decision.number, "kind": decision.get_kind_display()},
            field="decision",
        )
