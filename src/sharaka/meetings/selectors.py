"""Meeting reads. Query counts are fixed (a meeting page costs the same with 5 or 40 members).

The *roll* of a meeting is the board as it stands on the meeting's date (mandates in force,
the chair and secretary then), with the attendance recorded, mapped to the rules engine's
values. Governance models are read here, never written.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from sharaka.core.access import Perm, require
from sharaka.core.errors import DomainError, NotFound
from sharaka.directory.models import Person
from sharaka.governance import selectors as governance_selectors
from sharaka.governance.models import Board, Mandate, Officer
from sharaka.governance.rules import Attendance as EngineAttendance
from sharaka.governance.rules import Member, Rule, RulesInputError, Vote, tally
from sharaka.governance.rules.values import Gender, QuorumReport, TallyOutcome
from sharaka.governance.rules_in_force import RulesInForce
from sharaka.meetings import chain, rules
from sharaka.meetings.error_codes import MeetingErrorCode as Code
from sharaka.meetings.models import (
    AgendaItem,
    Attendance,
    Ballot,
    BoardDocument,
    Decision,
    Meeting,
    MeetingStatusChoice,
    Minutes,
    Motion,
    Recusal,
)
from sharaka.partnerships.models import Partnership

# --- Meetings --------------------------------------------------------------------------------


def partnership_meetings_get(
    *, user: Any, slug: str, perm: Perm = Perm.MEETING_VIEW
) -> tuple[Partnership, Board | None]:
    """The partnership ``slug`` (404 if the user cannot see it) and its board."""
    from sharaka.partnerships.selectors import partnership_get

    partnership = partnership_get(user=user, slug=slug)
    require(user, Perm.MEETING_VIEW, partnership)
    if perm != Perm.MEETING_VIEW:
        require(user, perm, partnership)
    return partnership, governance_selectors.board_get(partnership=partnership)


def meeting_list(*, partnership: Partnership) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(partnership=partnership)
        .select_related("reconvenes")
        .annotate(item_count=Count("items", distinct=True))
        .order_by("-starts_at", "-pk")
    )


def meeting_get(*, user: Any, partnership: Partnership, meeting_id: int) -> Meeting:
    """A meeting of ``partnership`` (the caller has checked the partnership is visible)."""
    meeting = (
        Meeting.objects.select_related("partnership", "board", "reconvenes")
        .filter(partnership=partnership, pk=meeting_id)
        .first()
    )
    if meeting is None:
        raise NotFound()
    return meeting


def meeting_by_id(*, user: Any, meeting_id: int) -> Meeting:
    """A meeting by id for the API: 404 if it does not exist or its partnership is hidden."""
    meeting = (
        Meeting.objects.select_related("partnership", "board", "reconvenes")
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None:
        raise NotFound()
    require(user, Perm.MEETING_VIEW, meeting.partnership)
    return meeting


def items_of(meeting: Meeting) -> list[AgendaItem]:
    """Agenda items with their motions, recusals and documents (4 queries)."""
    return list(
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("minutes_to_approve__meeting")
        .prefetch_related(
            Prefetch("motions", queryset=Motion.objects.order_by("round")),
            Prefetch("recusals", queryset=Recusal.objects.order_by("pk")),
            Prefetch("documents", queryset=BoardDocument.objects.order_by("pk")),
        )
        .order_by("position")
    )


def item_get(*, meeting: Meeting, item_id: int) -> AgendaItem:
    item = AgendaItem.objects.filter(meeting=meeting, pk=item_id).first()
    if item is None:
        raise NotFound()
    return item


def motion_get(*, meeting: Meeting, motion_id: int) -> Motion:
    motion = (
        Motion.objects.select_related("item").filter(item__meeting=meeting, pk=motion_id).first()
    )
    if motion is None:
        raise NotFound()
    return motion


def motion_by_id(*, user: Any, motion_id: int) -> Motion:
    motion = (
        Motion.objects.select_related("item__meeting__partnership", "item__meeting__board")
        .filter(pk=motion_id)
        .first()
    )
    if motion is None:
        raise NotFound()
    require(user, Perm.MEETING_VIEW, motion.item.meeting.partnership)
    return motion


def documents_of(meeting: Meeting) -> list[BoardDocument]:
    return list(BoardDocument.objects.filter(meeting=meeting).select_related("item"))


def document_get(*, meeting: Meeting, document_id: int) -> BoardDocument:
    document = BoardDocument.objects.filter(meeting=meeting, pk=document_id).first()
    if document is None:
        raise NotFound()
    return document


def minutes_of(meeting: Meeting) -> Minutes | None:
    return Minutes.objects.filter(meeting=meeting).prefetch_related("signatures", "errata").first()


def previous_minutes_choices(meeting: Meeting) -> QuerySet[Minutes]:
    """Minutes of earlier meetings of the same board (to approve at this one)."""
    return (
        Minutes.objects.filter(
            meeting__board_id=meeting.board_id, meeting__starts_at__lt=meeting.starts_at
        )
        .select_related("meeting")
        .order_by("-meeting__starts_at")
    )


# --- The roll: the board on the meeting's date -----------------------------------------------


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


# --- Engine inputs ---------------------------------------------------------------------------


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


def recused_mandates_of(item: AgendaItem) -> set[int]:
    return {r.mandate_id for r in item.recusals.all()}


def ballots_of(motion: Motion) -> list[Ballot]:
    return list(Ballot.objects.filter(motion=motion).order_by("pk"))


def ballot_counts(motion: Motion) -> dict[str, int]:
    counts = dict(
        Ballot.objects.filter(motion=motion).values_list("choice").annotate(n=Count("pk"))
    )
    return {c: counts.get(c, 0) for c in ("yes", "no", "abstain")}


# --- Decisions -------------------------------------------------------------------------------


def decision_list(
    *,
    user: Any,
    partnership: Partnership | None = None,
    search: str = "",
    year: int | None = None,
    kind: str = "",
) -> QuerySet[Decision]:
    """Decisions the user may read (all partnerships when ``partnership`` is None)."""
    from sharaka.core.access import partnership_scope

    decisions = Decision.objects.select_related("partnership", "meeting", "item", "motion")
    if partnership is not None:
        require(user, Perm.DECISION_VIEW, partnership)
        decisions = decisions.filter(partnership=partnership)
    else:
        decisions = decisions.filter(
            partnership__in=Partnership.objects.filter(partnership_scope(user))
        )
    if search:
        decisions = decisions.filter(
            Q(number__icontains=search)
            | Q(title__icontains=search)
            | Q(text__icontains=search)
            | Q(item__title__icontains=search)
        )
    if year:
        decisions = decisions.filter(year=year)
    if kind:
        decisions = decisions.filter(kind=kind)
    return decisions.order_by("-year", "-sequence")


def decision_get(
    *, user: Any, decision_id: int, partnership: Partnership | None = None
) -> Decision:
    decisions = Decision.objects.select_related(
        "partnership", "meeting", "item", "motion", "created_by"
    )
    if partnership is not None:
        decisions = decisions.filter(partnership=partnership)
    decision = decisions.filter(pk=decision_id).first()
    if decision is None:
        raise NotFound()
    require(user, Perm.DECISION_VIEW, decision.partnership)
    return decision


def decision_years(partnership: Partnership) -> list[int]:
    return list(
        Decision.objects.filter(partnership=partnership)
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )


def appointed_officers(decision: Decision) -> list[Officer]:
    return list(
        Officer.objects.filter(appointing_decision_id=decision.pk).select_related("mandate__person")
    )


# --- Public portal ---------------------------------------------------------------------------


def public_meetings(*, partnership: Partnership) -> QuerySet[Meeting]:
    """Meetings whose minutes are published (the only thing the public sees)."""
    return Meeting.objects.filter(
        partnership=partnership, status=MeetingStatusChoice.PUBLISHED
    ).order_by("-starts_at")


@dataclass(frozen=True)
class ChainHeadView:
    """The head of the installation's hash chain, published on the portal: anyone who
    writes it down can later check that the chain still holds it (``sharaka verify
    --head POSITION:HASH``)."""

    position: int
    hash: str

    @property
    def anchor(self) -> str:
        return f"{self.position}:{self.hash}"


def chain_head_get() -> ChainHeadView | None:
    """The current head, ``None`` while nothing is chained."""
    position, value = chain.head_get()
    return ChainHeadView(position, value) if position else None


def public_meeting_get(*, partnership: Partnership, meeting_id: int) -> Meeting:
    meeting = (
        Meeting.objects.select_related("partnership", "board")
        .filter(partnership=partnership, pk=meeting_id, status=MeetingStatusChoice.PUBLISHED)
        .first()
    )
    if meeting is None:
        raise NotFound()
    return meeting


# --- What the meeting page offers ------------------------------------------------------------


def capabilities(user: Any, meeting: Meeting) -> dict[str, bool]:
    """What ``user`` may do on ``meeting`` (two queries at most: grants, officer roles)."""
    from sharaka.core.access import permissions_for
    from sharaka.meetings.access import officer_roles

    perms = permissions_for(user, meeting.partnership)
    roles: frozenset[str] = frozenset()
    if Perm.MEETING_VIEW in perms and not {Perm.MEETING_MANAGE, Perm.BALLOT_RECORD} <= perms:
        roles = officer_roles(user, board_id=meeting.board_id, day=meeting.day)
    officer = Perm.MEETING_VIEW in perms and bool(roles & {"chair", "secretary"})
    return {
        "manage": Perm.MEETING_MANAGE in perms or officer,
        "record": Perm.BALLOT_RECORD in perms
        or (Perm.MEETING_VIEW in perms and "secretary" in roles),
        "cast": Perm.BALLOT_CAST_OWN in perms,
        "sign": Perm.MINUTES_SIGN in perms,
        "decisions": Perm.DECISION_VIEW in perms,
    }


def today() -> date:
    return timezone.localdate()
