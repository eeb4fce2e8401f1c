"""The *roll* of a meeting: the board as it stands on the meeting's date (mandates in force,
the chair and secretary then), with the attendance recorded, mapped to the rules engine's
values; the quorum and the tally on it. Governance models are read here, never written."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext

from sharaka.core.errors import DomainError
from sharaka.directory.models import Person
from sharaka.governance import selectors as governance_selectors
from sharaka.governance.models import Mandate, Officer
from sharaka.governance.rules import Attendance as EngineAttendance
from sharaka.governance.rules import Member, Rule, RulesInputError, Vote, tally
from sharaka.governance.rules.values import Gender, QuorumReport, TallyOutcome
from sharaka.governance.rules_in_force import RulesInForce
from sharaka.meetings import rules
from sharaka.meetings.error_codes import MeetingErrorCode as Code
from sharaka.meetings.models import (
    AgendaItem,
    Attendance,
    Ballot,
    Meeting,
    Motion,
)


@dataclass
class MemberRow:
    """A board member on the meeting's date, with the engine id used in the tally."""

    key: str
    mandate: Mandate
    person: Person
    organization: str
    organization_id: int | None
    college: str
    college_label: str
    voting: bool
    chair: bool
    roles: list[str] = field(default_factory=list)  # displayed, in the reader's language
    role_codes: list[str] = field(default_factory=list)  # chair, secretary, ...

    @property
    def name(self) -> str:
        return str(self.person)


@dataclass
class Roll:
    meeting: Meeting
    day: date
    rules: RulesInForce
    rule: Rule  # the meeting's rule (second-convocation quorum applied)
    voting: list[MemberRow]
    experts: list[MemberRow]
    by_mandate: dict[int, MemberRow]
    attendance: dict[int, Attendance]  # by mandate id
    officers: dict[str, Officer]  # by role, on the meeting's date

    @property
    def members(self) -> list[MemberRow]:
        return self.voting + self.experts

    def status_of(self, mandate_id: int) -> str:
        row = self.attendance.get(mandate_id)
        return row.status if row is not None else ""

    def holder_of(self, mandate_id: int) -> MemberRow | None:
        row = self.attendance.get(mandate_id)
        if row is None or row.proxy_holder_id is None:
            return None
        return self.by_mandate.get(row.proxy_holder_id)

    def proxies_held_by(self, mandate_id: int) -> list[MemberRow]:
        return [
            self.by_mandate[a.mandate_id]
            for a in self.attendance.values()
            if a.proxy_holder_id == mandate_id and a.mandate_id in self.by_mandate
        ]


def _alive(seat: Any, day: date) -> bool:
    return seat.established_on <= day and (seat.abolished_on is None or seat.abolished_on > day)


def roll_get(*, meeting: Meeting) -> Roll:
    """The board on the meeting's date and the attendance recorded (6 to 7 queries)."""
    day = meeting.day
    data = governance_selectors.board_data_get(board=meeting.board)
    rules_in_force = governance_selectors.rules_in_force_get(
        partnership=meeting.partnership, at=day
    )
    officers = {
        o.role: o
        for o in data.officers
        if o.start_date <= day and (o.end_date is None or o.end_date >= day)
    }
    roles_by_mandate: dict[int, list[str]] = {}
    codes_by_mandate: dict[int, list[str]] = {}
    for officer in officers.values():
        roles_by_mandate.setdefault(officer.mandate_id, []).append(officer.get_role_display())
        codes_by_mandate.setdefault(officer.mandate_id, []).append(officer.role)
    chair = officers.get("chair")
    seats = {s.pk: s for s in data.seats if _alive(s, day)}
    rows: list[MemberRow] = []
    taken: set[str] = set()
    for mandate in data.mandates:
        seat = seats.get(mandate.seat_id)
        if seat is None or not mandate.active_on(day):
            continue
        key, n = str(mandate.person), 2
        while key in taken:
            key, n = f"{mandate.person} ({n})", n + 1
        taken.add(key)
        organization = mandate.on_behalf_of or seat.organization
        rows.append(
            MemberRow(
                key=key,
                mandate=mandate,
                person=mandate.person,
                organization=organization.name if organization else "",
                organization_id=organization.pk if organization else None,
                college=seat.college.code,
                college_label=seat.college.label,
                voting=seat.voting,
                chair=chair is not None and chair.mandate_id == mandate.pk,
                roles=roles_by_mandate.get(mandate.pk, []),
                role_codes=codes_by_mandate.get(mandate.pk, []),
            )
        )
    college_order = {c.code: c.order for c in data.colleges}
    rows.sort(key=lambda r: (college_order.get(r.college, 999), r.organization, r.person.last_name))
    attendance = {a.mandate_id: a for a in Attendance.objects.filter(meeting=meeting)}
    by_mandate = {r.mandate.pk: r for r in rows}
    second = (
        Fraction(meeting.quorum_override)
        if meeting.convocation_number == 2 and meeting.quorum_override
        else None
    )
    return Roll(
        meeting=meeting,
        day=day,
        rules=rules_in_force,
        rule=rules.meeting_rule(rules_in_force.decision_rule, second_convocation_quorum=second),
        voting=[r for r in rows if r.voting],
        experts=[r for r in rows if not r.voting],
        by_mandate=by_mandate,
        attendance=attendance,
        officers=officers,
    )


def member_rows_for_user(roll: Roll, user: Any) -> list[MemberRow]:
    """The roll's rows held by ``user``'s person (at most one: a person sits once)."""
    person_id = getattr(user, "person_id", None)
    if person_id is None:
        return []
    return [r for r in roll.members if r.person.pk == person_id]


@dataclass(frozen=True)
class EngineInputs:
    members: list[Member]
    attendance: dict[str, EngineAttendance]
    recused: list[str]
    lapsed_proxies: list[str]  # givers whose proxy does not apply (holder recused)


_GENDERS = {"f": Gender.F, "m": Gender.M}


def engine_inputs(roll: Roll, *, recused_mandates: Collection[int]) -> EngineInputs:
    """The tally's members and attendance for one agenda item (its recusals applied)."""
    recused = {roll.by_mandate[m].key for m in recused_mandates if m in roll.by_mandate}
    members = [
        Member(
            id=row.key,
            organization=str(row.organization_id or "none"),
            college=row.college,
            voting=True,
            chair=row.chair,
            gender=_GENDERS.get(row.person.gender, Gender.X),
        )
        for row in roll.voting
    ]
    attendance: dict[str, EngineAttendance] = {}
    lapsed: list[str] = []
    for row in roll.voting:
        record = roll.attendance.get(row.mandate.pk)
        if record is None:
            continue
        if record.status == rules.Presence.PROXY:
            holder = roll.by_mandate.get(record.proxy_holder_id or 0)
            if holder is None or not holder.voting:
                attendance[row.key] = EngineAttendance.absent()
                continue
            if holder.key in recused and row.key not in recused:
                lapsed.append(row.key)
                attendance[row.key] = EngineAttendance.absent()
                continue
            attendance[row.key] = EngineAttendance.proxy(holder.key)
        else:
            attendance[row.key] = EngineAttendance.parse(record.status)
    return EngineInputs(
        members=members, attendance=attendance, recused=sorted(recused), lapsed_proxies=lapsed
    )


def run_tally(
    roll: Roll,
    *,
    recused_mandates: Collection[int],
    ballots: Mapping[int, str] | None = None,
    round_number: int = 1,
    lang: str = "fr",
    mode: rules.VotingMode = rules.VotingMode.SHOW_OF_HANDS,
) -> TallyOutcome:
    """The rules engine on this meeting's roll; inconsistent input becomes a DomainError."""
    inputs = engine_inputs(roll, recused_mandates=recused_mandates)
    keyed = {roll.by_mandate[m].key: Vote(c) for m, c in (ballots or {}).items()}
    try:
        return tally(
            inputs.members,
            inputs.attendance,
            rules.rule_for_mode(roll.rule, mode),
            recused=inputs.recused,
            ballots=keyed,
            round=round_number,
            lang=lang,
        )
    except RulesInputError as error:
        raise DomainError(
            Code.ATTENDANCE_INVALID,
            gettext("La feuille de présence est incohérente (%(detail)s) : corrigez-la.")
            % {"detail": error},
        ) from error


def quorum_get(
    roll: Roll, *, recused_mandates: Collection[int] = (), round_number: int = 1
) -> QuorumReport:
    """The quorum as it stands (general, or for an item with its recusals)."""
    return run_tally(roll, recused_mandates=recused_mandates, round_number=round_number).quorum


def quorum_or_none(roll: Roll, *, recused_mandates: Collection[int] = ()) -> QuorumReport | None:
    """The quorum as it stands, ``None`` before the roll call or while it is inconsistent."""
    if not roll.attendance:
        return None
    try:
        return quorum_get(roll, recused_mandates=recused_mandates)
    except DomainError:
        return None


def recused_mandates_of(item: AgendaItem) -> set[int]:
    return {r.mandate_id for r in item.recusals.all()}


def ballots_of(motion: Motion) -> list[Ballot]:
    return list(Ballot.objects.filter(motion=motion).order_by("pk"))
