"""The board itself: its creation, colleges and seats, and changes of its composition
(the simulator's "apply")."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from django.conf import settings as django_settings
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext

from sharaka.core.access import Perm, require
from sharaka.core.errors import DomainError
from sharaka.core.services import assign_fields, clean_and_save
from sharaka.core.types import Actor
from sharaka.directory.models import Organization
from sharaka.governance import composition
from sharaka.governance.board_templates import DEFAULT_COLLEGES, EXPERTS, TEMPLATES
from sharaka.governance.error_codes import GovernanceErrorCode as Code
from sharaka.governance.models import Board, BoardCollege, Expertise, Mandate, Seat
from sharaka.governance.selectors import seat_state
from sharaka.governance.services.common import _belongs, _party_ids, _today
from sharaka.governance.services.settings import (
    governance_settings_ensure,
    governance_settings_update,
)
from sharaka.partnerships.models import Partnership

SEAT_FIELDS = ("organization", "college", "voting", "expertise", "label")


# --- Board and colleges ----------------------------------------------------------------------


@transaction.atomic
def board_create(
    *,
    by: Actor,
    partnership: Partnership,
    target: Mapping[composition.Group, int],
    template: str = "",
    name: str = "",
    established_on: date | None = None,
) -> Board:
    """Create the board with the default colleges and the seats of ``target``."""
    require(by, Perm.BOARD_CHANGE, partnership)
    Partnership.objects.select_for_update(of=("self",)).filter(pk=partnership.pk).first()
    if Board.objects.filter(partnership=partnership).exists():
        raise DomainError(Code.BOARD_EXISTS, gettext("Ce partenariat a déjà un conseil."))
    if template and template not in TEMPLATES:
        raise DomainError(
            Code.TEMPLATE_UNKNOWN, gettext("Modèle de conseil inconnu."), field="template"
        )
    board = Board(partnership=partnership, template=template)
    if name:
        board.name = name
    clean_and_save(board)
    with translation.override(django_settings.LANGUAGE_CODE):  # data in the source language
        for order, (code, label) in enumerate(DEFAULT_COLLEGES, start=1):
            BoardCollege.objects.create(board=board, code=code, label=str(label), order=order * 10)
    governance_settings_ensure(partnership=partnership)
    _apply_plan(board, composition.plan([], target), on=established_on or _today())
    return board


@transaction.atomic
def college_create(
    *, by: Actor, board: Board, code: str, label: str, order: int = 0
) -> BoardCollege:
    require(by, Perm.BOARD_CHANGE, board.partnership)
    if BoardCollege.objects.filter(board=board, code=code).exists():
        raise DomainError(
            Code.COLLEGE_DUPLICATE, gettext("Ce code de collège existe déjà."), field="code"
        )
    return clean_and_save(BoardCollege(board=board, code=code, label=label, order=order))


@transaction.atomic
def college_update(
    *, by: Actor, board: Board, college: BoardCollege, label: str, order: int
) -> BoardCollege:
    require(by, Perm.BOARD_CHANGE, board.partnership)
    _belongs(college.board_id, board, gettext("Ce collège"))
    college = BoardCollege.objects.select_for_update(of=("self",)).get(pk=college.pk)
    college.label, college.order = label, order
    return clean_and_save(college)


@transaction.atomic
def college_delete(*, by: Actor, board: Board, college: BoardCollege) -> None:
    require(by, Perm.BOARD_CHANGE, board.partnership)
    _belongs(college.board_id, board, gettext("Ce collège"))
    if college.seats.exists():
        raise DomainError(
            Code.COLLEGE_IN_USE,
            gettext(
                "Le collège « %(college)s » a des sièges (actuels ou passés) : il ne peut "
                "pas être supprimé."
            )
            % {"college": college.label},
        )
    college.delete()


# --- Seats -----------------------------------------------------------------------------------


def _check_seat(board: Board, seat: Seat) -> None:
    _belongs(seat.college.board_id, board, gettext("Ce collège"))
    if seat.organization_id is not None and seat.organization_id not in _party_ids(
        board.partnership_id
    ):
        raise DomainError(
            Code.ORGANIZATION_NOT_PARTY,
            gettext("%(org)s n'est pas partie à ce partenariat : ajoutez-la d'abord aux parties.")
            % {"org": seat.organization},
            field="organization",
        )
    if seat.voting and (seat.expertise or seat.college.code == EXPERTS):
        raise DomainError(
            Code.SEAT_ADVISORY_VOTE,
            gettext("Un siège d'expert est consultatif : il ne donne pas de voix délibérative."),
            field="voting",
        )
    if seat.voting and seat.organization_id is None:
        raise DomainError(
            Code.SEAT_WITHOUT_ORGANIZATION,
            gettext(
                "Un siège avec voix délibérative représente une organisation partie au partenariat."
            ),
            field="organization",
        )


@transaction.atomic
def seat_create(
    *,
    by: Actor,
    board: Board,
    college: BoardCollege,
    organization: Organization | None,
    voting: bool,
    expertise: str = "",
    label: str = "",
    established_on: date | None = None,
) -> Seat:
    require(by, Perm.BOARD_CHANGE, board.partnership)
    seat = Seat(
        board=board,
        college=college,
        organization=organization,
        voting=voting,
        expertise=expertise or "",
        label=label,
        established_on=established_on or _today(),
    )
    _check_seat(board, seat)
    return clean_and_save(seat)


def _open_mandate(seat: Seat, *, on: date | None = None) -> Mandate | None:
    """The mandate holding ``seat`` on ``on`` or later (``None``: vacant from then on)."""
    day = on or _today()
    return (
        Mandate.objects.select_related("person")
        .filter(seat=seat)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .order_by("start_date")
        .first()
    )


@transaction.atomic
def seat_update(*, by: Actor, board: Board, seat: Seat, fields: Mapping[str, object]) -> Seat:
    require(by, Perm.BOARD_CHANGE, board.partnership)
    _belongs(seat.board_id, board, gettext("Ce siège"))
    seat = Seat.objects.select_for_update(of=("self",)).select_related("college").get(pk=seat.pk)
    old_organization = seat.organization_id
    assign_fields(seat, fields, allowed=SEAT_FIELDS)
    seat.expertise = seat.expertise or ""
    if seat.abolished_on is not None:
        raise DomainError(Code.SEAT_ABOLISHED, gettext("Ce siège a été supprimé."))
    if seat.organization_id != old_organization:
        holder = _open_mandate(seat)
        if holder is not None:
            raise DomainError(
                Code.SEAT_OCCUPIED,
                gettext(
                    "Ce siège est occupé par %(person)s : mettez fin au mandat avant de "
                    "changer l'organisation représentée."
                )
                % {"person": holder.person},
                field="organization",
            )
    _check_seat(board, seat)
    return clean_and_save(seat)


@transaction.atomic
def seat_abolish(*, by: Actor, board: Board, seat: Seat, on: date | None = None) -> Seat | None:
    """Remove a vacant seat from ``on`` (default today). A seat that never had a mandate is
    deleted (it was a mistake); otherwise it is kept, with the date it was abolished, so
    that the board's past composition stays readable. Returns ``None`` when deleted."""
    require(by, Perm.BOARD_CHANGE, board.partnership)
    _belongs(seat.board_id, board, gettext("Ce siège"))
    seat = Seat.objects.select_for_update(of=("self",)).get(pk=seat.pk)
    return _abolish(seat, on or _today())


def _abolish(seat: Seat, on: date) -> Seat | None:
    if seat.abolished_on is not None:
        raise DomainError(Code.SEAT_ABOLISHED, gettext("Ce siège a déjà été supprimé."))
    holder = _open_mandate(seat, on=on)
    if holder is not None:
        raise DomainError(
            Code.SEAT_OCCUPIED,
            gettext("Ce siège est occupé par %(person)s : mettez d'abord fin à son mandat.")
            % {"person": holder.person},
        )
    if not seat.mandates.exists():
        seat.delete()
        return None
    seat.abolished_on = max(on, seat.established_on + timedelta(days=1))
    seat.save(update_fields=["abolished_on", "updated_at"])
    return seat


# --- Composition (simulator "apply", board creation) ----------------------------------------


@transaction.atomic
def board_composition_apply(
    *, by: Actor, board: Board, target: Mapping[composition.Group, int], on: date | None = None
) -> composition.Plan:
    """Make the board's seats match ``target`` (seats per organisation, college, voting)."""
    require(by, Perm.BOARD_CHANGE, board.partnership)
    Board.objects.select_for_update(of=("self",)).filter(pk=board.pk).first()
    day = on or _today()
    current = seat_states(board=board, on=day)
    result = composition.plan(current, target)
    if result.blocked:
        names = ", ".join(f"{s.holder}" for s in result.blocked)
        raise DomainError(
            Code.COMPOSITION_BLOCKED,
            gettext(
                "Cette composition retire des sièges occupés (%(names)s) : mettez d'abord "
                "fin à ces mandats."
            )
            % {"names": names},
        )
    if not result.changed:
        raise DomainError(
            Code.COMPOSITION_UNCHANGED,
            gettext("La composition simulée est identique à l'actuelle."),
        )
    _apply_plan(board, result, on=day)
    return result


def seat_states(*, board: Board, on: date) -> list[composition.SeatState]:
    """The seats of ``board`` existing on ``on``, as the planner sees them (2 queries)."""
    seats = list(
        Seat.objects.filter(board=board, established_on__lte=on)
        .filter(Q(abolished_on__isnull=True) | Q(abolished_on__gt=on))
        .select_related("college")
    )
    holders: dict[int, Mandate] = {}
    for mandate in (
        Mandate.objects.filter(seat__board=board)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .select_related("person")
        .order_by("start_date")
    ):
        holders.setdefault(mandate.seat_id, mandate)
    return [seat_state(seat, holders.get(seat.pk)) for seat in seats]


def _apply_plan(board: Board, plan: composition.Plan, *, on: date) -> None:
    colleges = {c.code: c for c in BoardCollege.objects.filter(board=board)}
    parties = _party_ids(board.partnership_id)
    organizations = Organization.objects.in_bulk(
        {g.organization_id for g, _n in plan.create if g.organization_id is not None}
        | {g.organization_id for _i, g in plan.move if g.organization_id is not None}
    )

    def college_of(group: composition.Group) -> BoardCollege:
        if group.college not in colleges:
            raise DomainError(
                Code.COLLEGE_UNKNOWN,
                gettext("Collège inconnu : %(college)s.") % {"college": group.college},
                field="college",
            )
        return colleges[group.college]

    for group, count in plan.create:
        organization = organizations.get(group.organization_id or 0)
        if group.organization_id is not None and (
            organization is None or organization.pk not in parties
        ):
            raise DomainError(
                Code.ORGANIZATION_NOT_PARTY,
                gettext("Une organisation du conseil n'est pas partie à ce partenariat."),
                field="organization",
            )
        expert = group.college == EXPERTS or group.organization_id is None
        for _n in range(count):
            seat = Seat(
                board=board,
                college=college_of(group),
                organization=organization,
                voting=group.voting,
                expertise=Expertise.TECHNICAL if expert and not group.voting else "",
                established_on=on,
            )
            _check_seat(board, seat)
            clean_and_save(seat)
    moving = (
        Seat.objects.select_for_update(of=("self",))
        .select_related("college")
        .in_bulk([i for i, _g in plan.move])
    )
    for seat_id, group in plan.move:
        seat = moving[seat_id]
        seat.college = college_of(group)
        seat.voting = group.voting
        _check_seat(board, seat)
        clean_and_save(seat)
    for seat in Seat.objects.select_for_update(of=("self",)).filter(pk__in=plan.abolish):
        _abolish(seat, on)


@transaction.atomic
def board_simulation_apply(
    *,
    by: Actor,
    board: Board,
    target: Mapping[composition.Group, int],
    rule_fields: Mapping[str, object] | None = None,
    on: date | None = None,
) -> composition.Plan:
    """Apply a simulated composition and, when given, the simulated decision rule, together
    (both or neither). An unchanged composition is fine here if the rule changes."""
    require(by, Perm.BOARD_CHANGE, board.partnership)
    if rule_fields:
        governance_settings_update(by=by, partnership=board.partnership, fields=rule_fields)
        current = seat_states(board=board, on=on or _today())
        result = composition.plan(current, target)
        if not result.changed:
            return result
    return board_composition_apply(by=by, board=board, target=target, on=on)
