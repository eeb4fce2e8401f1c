"""Board reads. Query counts are fixed: a board's page costs the same at 5 or 40 seats."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from sharaka.core.access import Perm, capabilities, require
from sharaka.core.history import HistoryEntry, history_entries
from sharaka.core.querysets import found
from sharaka.governance import composition, ports
from sharaka.governance.analysis import (
    Analysis,
    AnalysisSeat,
    analyse,
    deciding_rule,
    describe_rule,
    engine_lang,
)
from sharaka.governance.board_templates import DEFAULT_COLLEGES, PartyInfo
from sharaka.governance.fractions import parse_fraction
from sharaka.governance.models import (
    Board,
    BoardCollege,
    GovernanceSettings,
    Mandate,
    Officer,
    Seat,
)
from sharaka.governance.rules.values import (
    Base,
    Fallback,
    Method,
    Policy,
    Quorum,
    Rule,
    TieBreak,
)
from sharaka.governance.rules_in_force import RulesInForce
from sharaka.partnerships import ports as partnership_ports
from sharaka.partnerships.models import Partnership, PartyRole
from sharaka.partnerships.selectors import partnership_get

#: The settings fields that make the decision rule (the simulator changes these).
RULE_FIELDS = (
    "method",
    "threshold",
    "base",
    "quorum",
    "fallback_method",
    "fallback_threshold",
    "fallback_base",
    "fallback_from_round",
)

# --- Rules in force --------------------------------------------------------------------------


def _share(text: str) -> Fraction:
    return parse_fraction(text)


def _optional_share(text: str) -> Fraction | None:
    return parse_fraction(text) if text else None


def rule_from_fields(fields: Mapping[str, Any], *, base: Rule | None = None) -> Rule:
    """A decision rule from settings-like fields (method, threshold, base, quorum,
    fallback_*); what the fields do not say (per-college quorum, proxies, tie break,
    colleges) comes from ``base``. Raises ``ValueError`` (a ``RulesInputError``) if the
    engine refuses the rule."""
    fallback = None
    if fields.get("fallback_method"):
        method = Method(fields["fallback_method"])
        fallback = Fallback(
            from_round=int(fields.get("fallback_from_round") or 2),
            rule=Rule(
                method=method,
                threshold=_share(fields["fallback_threshold"])
                if method is Method.QUALIFIED
                else None,
                base=Base(fields.get("fallback_base") or Base.PRESENT),
            ),
        )
    method = Method(fields["method"])
    per_college = base.effective_quorum.per_college if base is not None else None
    return Rule(
        method=method,
        threshold=_share(fields["threshold"]) if method is Method.QUALIFIED else None,
        base=Base(fields.get("base") or Base.PRESENT),
        quorum=Quorum(fraction=_share(fields["quorum"]), per_college=per_college),
        max_proxies_per_member=base.max_proxies_per_member if base is not None else None,
        tie_break=base.tie_break if base is not None else TieBreak.NONE,
        colleges=base.colleges if base is not None else None,
        fallback=fallback,
    )


def rule_from_settings(settings: GovernanceSettings) -> Rule:
    rule = rule_from_fields(
        {name: getattr(settings, name) for name in RULE_FIELDS},
    )
    return replace(
        rule,
        quorum=Quorum(
            fraction=_share(settings.quorum),
            per_college=_optional_share(settings.quorum_per_college),
        ),
        max_proxies_per_member=settings.max_proxies_per_member,
        tie_break=TieBreak(settings.tie_break),
    )


def policy_from_settings(settings: GovernanceSettings) -> Policy:
    return Policy(
        max_seat_share_per_organization=_share(settings.max_seat_share_per_organization),
        min_women_share=_share(settings.min_women_share),
        required_colleges=tuple(str(c) for c in settings.required_colleges or ()),
        max_non_voting=settings.max_non_voting,
        no_dictator=settings.no_dictator,
        warn_veto=settings.warn_veto,
    )


def rules_from_settings(settings: GovernanceSettings) -> RulesInForce:
    policy = policy_from_settings(settings)
    return RulesInForce(
        decision_rule=rule_from_settings(settings),
        balance_policy=policy,
        notice_period_days=settings.notice_period_days,
        second_convocation_quorum=_optional_share(settings.second_convocation_quorum),
        gender_target=policy.min_women_share,
        expense_tolerance=_share(settings.expense_tolerance),
        plan_adoption_deadline_days=settings.plan_adoption_deadline_days,
        audit_frequency_months=settings.audit_frequency_months,
        evaluation_frequency_months=settings.evaluation_frequency_months,
        source="settings",
        source_label=gettext("Règles provisoires du partenariat (avant la convention)"),
    )


def governance_settings_get(*, partnership: Partnership) -> GovernanceSettings:
    """The stored settings, or an unsaved record holding the defaults (no write)."""
    settings = GovernanceSettings.objects.filter(partnership=partnership).first()
    return settings or GovernanceSettings(partnership=partnership)


def _convention_rules(partnership: Partnership, at: date) -> RulesInForce | None:
    return ports.convention_rules.provider(partnership=partnership, at=at)


def rules_in_force_get(*, partnership: Partnership, at: date | None = None) -> RulesInForce:
    """The rules the partnership applies on ``at`` (today by default): those of the
    convention in force, else the interim governance settings (defaults if none saved)."""
    day = at or timezone.localdate()
    from_convention = _convention_rules(partnership, day)
    if from_convention is not None:
        return from_convention
    return rules_from_settings(governance_settings_get(partnership=partnership))


# --- Contributions (M4) ------------------------------------------------------------------------


def contribution_shares_get(partnership: Partnership) -> dict[int, Fraction] | None:
    """Each organisation's share of the contributions (cash and in kind), by organisation id;
    ``None`` while the partnership has no contribution data (finance provides them)."""
    return ports.contribution_shares.provider(partnership)


# --- Board -----------------------------------------------------------------------------------


def board_get(*, partnership: Partnership) -> Board | None:
    return Board.objects.filter(partnership=partnership).first()


def partnership_board_get(
    *, user: Any, slug: str, perm: Perm = Perm.BOARD_VIEW
) -> tuple[Partnership, Board | None]:
    """The partnership ``slug`` and its board, after checking ``perm`` (404 if not visible)."""
    partnership = partnership_get(user=user, slug=slug)
    require(user, Perm.BOARD_VIEW, partnership)
    if perm != Perm.BOARD_VIEW:
        require(user, perm, partnership)
    return partnership, board_get(partnership=partnership)


def parties_info(partnership: Partnership) -> list[PartyInfo]:
    """The partnership's parties (prefetched by ``partnership_get``), lead first."""
    parties = sorted(
        partnership.parties.all(),
        key=lambda p: (p.role != PartyRole.LEAD, p.organization.name),
    )
    return [
        PartyInfo(
            organization_id=p.organization_id,
            name=p.organization.name,
            college=p.organization.default_college,
            lead=p.role == PartyRole.LEAD,
        )
        for p in parties
    ]


def _alive(seat: Seat, day: date) -> bool:
    return seat.established_on <= day and (seat.abolished_on is None or seat.abolished_on > day)


@dataclass
class SeatRow:
    seat: Seat
    holder: Mandate | None
    roles: list[str] = field(default_factory=list)  # officer roles of the holder


@dataclass
class CollegeBlock:
    college: BoardCollege
    seats: list[SeatRow]


@dataclass
class Composition:
    partnership: Partnership
    board: Board | None
    at: date
    is_today: bool
    rules: RulesInForce
    colleges: list[CollegeBlock] = field(default_factory=list)
    officers: list[Officer] = field(default_factory=list)
    analysis: Analysis | None = None
    series: list[tuple[date, Fraction]] = field(default_factory=list)
    contributions_available: bool = False
    first_date: date | None = None
    seat_states: list[composition.SeatState] = field(default_factory=list)

    @property
    def seat_count(self) -> int:
        return sum(len(block.seats) for block in self.colleges)


@dataclass
class BoardData:
    """Everything about one board, loaded in a fixed number of queries (4)."""

    board: Board
    colleges: list[BoardCollege]
    seats: list[Seat]
    mandates: list[Mandate]
    officers: list[Officer]


def board_data_get(*, board: Board) -> BoardData:
    return BoardData(
        board=board,
        colleges=list(board.colleges.order_by("order", "code")),
        seats=list(
            Seat.objects.filter(board=board)
            .select_related("organization", "college")
            .order_by("college__order", "organization__name", "-voting", "pk")
        ),
        mandates=list(
            Mandate.objects.filter(seat__board=board)
            .select_related("person", "on_behalf_of")
            .order_by("start_date", "pk")
        ),
        officers=list(
            Officer.objects.filter(board=board)
            .select_related("mandate__person")
            .order_by("role", "start_date")
        ),
    )


def analysis_seats(
    data: BoardData, day: date
) -> tuple[list[AnalysisSeat], dict[int, Mandate], list[Officer]]:
    holders = {m.seat_id: m for m in data.mandates if m.active_on(day)}
    officers = [
        o
        for o in data.officers
        if o.start_date <= day and (o.end_date is None or o.end_date >= day)
    ]
    chair_mandates = {o.mandate_id for o in officers if o.role == "chair"}
    seats = []
    for seat in data.seats:
        if not _alive(seat, day):
            continue
        holder = holders.get(seat.pk)
        seats.append(
            AnalysisSeat(
                key=f"s{seat.pk}",
                organization_id=seat.organization_id,
                organization_name=seat.organization.name if seat.organization else "",
                college=seat.college.code,
                college_label=seat.college.display_label,
                voting=seat.voting,
                gender=holder.person.gender if holder else "x",
                chair=holder is not None and holder.pk in chair_mandates,
                occupied=holder is not None,
            )
        )
    return seats, holders, officers


def seat_state(seat: Seat, holder: Mandate | None, *, chair: bool = False) -> composition.SeatState:
    """A seat as the composition planner sees it: its group, and who holds it."""
    return composition.SeatState(
        id=seat.pk,
        group=composition.Group(seat.organization_id, seat.college.code, seat.voting),
        occupied=holder is not None,
        expert=bool(seat.expertise),
        gender=holder.person.gender if holder is not None else "x",
        chair=chair,
        holder=str(holder.person) if holder is not None else "",
    )


def composition_get(*, partnership: Partnership, at: date | None = None) -> Composition:
    """The board as it stands on ``at`` (today by default), with its balance and power."""
    today = timezone.localdate()
    day = at or today
    rules = rules_in_force_get(partnership=partnership, at=day)
    board = board_get(partnership=partnership)
    result = Composition(
        partnership=partnership, board=board, at=day, is_today=day == today, rules=rules
    )
    if board is None:
        return result
    data = board_data_get(board=board)
    seats, holders, officers = analysis_seats(data, day)
    roles: dict[int, list[str]] = {}
    for officer in officers:
        roles.setdefault(officer.mandate_id, []).append(officer.get_role_display())
    by_college: dict[int, list[SeatRow]] = {}
    for seat in data.seats:
        if _alive(seat, day):
            holder = holders.get(seat.pk)
            row = SeatRow(
                seat=seat, holder=holder, roles=roles.get(holder.pk, []) if holder else []
            )
            by_college.setdefault(seat.college_id, []).append(row)
    result.colleges = [
        CollegeBlock(college=c, seats=by_college.get(c.pk, [])) for c in data.colleges
    ]
    result.officers = officers
    contributions = contribution_shares_get(partnership)
    result.contributions_available = contributions is not None
    result.analysis = analyse(
        seats,
        rule=rules.decision_rule,
        policy=rules.balance_policy,
        college_order=[(c.code, c.display_label) for c in data.colleges],
        contributions=contributions,
        officers=[o.mandate.person.gender for o in officers],
    )
    result.series = women_share_series(data, until=max(today, day))
    dates = [s.established_on for s in data.seats] + [m.start_date for m in data.mandates]
    result.first_date = min(dates) if dates else None
    result.seat_states = [
        seat_state(seat, holders.get(seat.pk), chair=s.chair)
        for seat, s in zip((seat for seat in data.seats if _alive(seat, day)), seats, strict=True)
    ]
    return result


def women_share_series(data: BoardData, *, until: date) -> list[tuple[date, Fraction]]:
    """Women's share of the voting seats, at every date the composition changed (a mandate
    starts, or the day after one ends; a seat is created or abolished), then ``until``."""
    events: set[date] = set()
    for seat in data.seats:
        if seat.voting:
            events.add(seat.established_on)
            if seat.abolished_on:
                events.add(seat.abolished_on)
    voting_ids = {s.pk for s in data.seats if s.voting}
    mandates = [m for m in data.mandates if m.seat_id in voting_ids]
    for mandate in mandates:
        events.add(mandate.start_date)
        if mandate.end_date:
            events.add(mandate.end_date + timedelta(days=1))
    events = {d for d in events if d <= until}
    if events:
        events.add(until)
    points: list[tuple[date, Fraction]] = []
    for day in sorted(events):
        seats = [s for s in data.seats if s.voting and _alive(s, day)]
        if not seats:
            continue
        alive = {s.pk for s in seats}
        women = sum(
            1
            for m in mandates
            if m.seat_id in alive and m.active_on(day) and m.person.gender == "f"
        )
        points.append((day, Fraction(women, len(seats))))
    return points


# --- Lists for forms and the history page ---------------------------------------------------


def mandate_history(*, board: Board) -> list[Mandate]:
    return list(
        Mandate.objects.filter(seat__board=board)
        .select_related("person", "on_behalf_of", "seat__organization", "seat__college")
        .order_by("-start_date", "-pk")
    )


def officer_history(*, board: Board) -> list[Officer]:
    return list(
        Officer.objects.filter(board=board)
        .select_related("mandate__person")
        .order_by("-start_date", "role")
    )


def seat_get(*, board: Board, seat_id: int) -> Seat:
    return found(
        Seat.objects.select_related("organization", "college")
        .filter(board=board, pk=seat_id)
        .first()
    )


def mandate_get(*, board: Board, mandate_id: int) -> Mandate:
    return found(
        Mandate.objects.select_related(
            "person", "seat__organization", "seat__college", "on_behalf_of"
        )
        .filter(seat__board=board, pk=mandate_id)
        .first()
    )


def officer_get(*, board: Board, officer_id: int) -> Officer:
    return found(
        Officer.objects.select_related("mandate__person").filter(board=board, pk=officer_id).first()
    )


def current_mandates(*, board: Board, on: date | None = None) -> QuerySet[Mandate]:
    day = on or timezone.localdate()
    return (
        Mandate.objects.filter(seat__board=board, start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .select_related("person", "seat__college", "seat__organization")
        .order_by("person__last_name", "person__first_name")
    )


def person_workplaces(person_ids: Collection[int], on: date) -> list[tuple[int, int, int]]:
    """``(person, partnership, lead authority)`` for each board mandate of these people that has
    not ended before ``on`` (the directory's access check; one query)."""
    return list(
        Mandate.objects.filter(person_id__in=person_ids)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .values_list(
            "person_id",
            "seat__board__partnership_id",
            "seat__board__partnership__lead_authority_id",
        )
        .distinct()
    )


# --- Page view models ------------------------------------------------------------------------


@dataclass(frozen=True)
class RulesPage:
    """The board's rules page: the rules in force in words, and the interim settings form's
    data when the user may change them (only while no convention fixes them)."""

    rules: RulesInForce
    settings: GovernanceSettings
    colleges: list[tuple[str, str]]
    editable: bool
    rule_label: str
    fallback_label: str


def rules_view_get(*, user: Any, partnership: Partnership, board: Board | None) -> RulesPage:
    rules = rules_in_force_get(partnership=partnership)
    colleges = (
        [(c.code, c.display_label) for c in board.colleges.order_by("order", "code")]
        if board is not None
        else [(code, str(label)) for code, label in DEFAULT_COLLEGES]
    )
    may_change = Perm.GOVERNANCE_SETTINGS_CHANGE in capabilities(user, partnership)
    rule = rules.decision_rule
    return RulesPage(
        rules=rules,
        settings=governance_settings_get(partnership=partnership),
        colleges=colleges,
        editable=may_change and rules.source == "settings",
        rule_label=describe_rule(rule, engine_lang()),
        fallback_label=describe_rule(deciding_rule(rule), engine_lang()) if rule.fallback else "",
    )


@dataclass(frozen=True)
class HistoryPage:
    """Every mandate and office the board has known, women's share of the voting seats over
    time, and the changes to the board's own record."""

    mandates: list[Mandate]
    officers: list[Officer]
    series: list[tuple[date, Fraction]]
    gender_target: Fraction
    entries: list[HistoryEntry]
    today: date


def history_view_get(*, partnership: Partnership, board: Board) -> HistoryPage:
    today = timezone.localdate()
    return HistoryPage(
        mandates=mandate_history(board=board),
        officers=officer_history(board=board),
        series=women_share_series(board_data_get(board=board), until=today),
        gender_target=rules_in_force_get(partnership=partnership).gender_target,
        entries=history_entries(board),
        today=today,
    )


def colleges_get(*, board: Board) -> list[BoardCollege]:
    return list(board.colleges.order_by("order", "code"))


def college_get(*, board: Board, college_id: int) -> BoardCollege:
    return found(BoardCollege.objects.filter(board=board, pk=college_id).first())


def conflicts_of(*, partnership: Partnership) -> list[partnership_ports.ConflictLine]:
    """The conflicts of interest of the board's partnership (law 113-14 art. 65), from
    ``partners`` through the port. 4 queries at most."""
    return partnership_ports.conflicts_of_interest.provider(partnership)
