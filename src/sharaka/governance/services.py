"""Board writes: settings, board, colleges, seats, mandates, officers, composition changes.

Every service checks permission first (``core.access.require``), locks what it changes,
checks the invariant that SQL cannot state, then saves. A service that receives a seat,
mandate or officer also receives the ``board`` it acts on and refuses an object of
another board (``wrong_partnership``): permission is checked on that board's partnership.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any, TypeVar

from django.conf import settings as django_settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from sharaka.core.access import Perm, require
from sharaka.core.errors import DomainError, ValidationFailed
from sharaka.core.history import set_change_reason
from sharaka.core.services import assign_fields, clean_and_save
from sharaka.core.types import Actor
from sharaka.directory.models import Organization, Person
from sharaka.governance import composition
from sharaka.governance.board_templates import DEFAULT_COLLEGES, EXPERTS, TEMPLATES
from sharaka.governance.error_codes import GovernanceErrorCode as Code
from sharaka.governance.fractions import normalize_share
from sharaka.governance.models import (
    Board,
    BoardCollege,
    Expertise,
    GovernanceSettings,
    Mandate,
    Officer,
    OfficerRole,
    Seat,
)
from sharaka.governance.selectors import rules_in_force_get
from sharaka.partnerships.models import Partnership, Party

SETTINGS_FIELDS = (
    "method",
    "threshold",
    "base",
    "quorum",
    "quorum_per_college",
    "max_proxies_per_member",
    "tie_break",
    "fallback_method",
    "fallback_threshold",
    "fallback_base",
    "fallback_from_round",
    "max_seat_share_per_organization",
    "min_women_share",
    "required_colleges",
    "max_non_voting",
    "no_dictator",
    "warn_veto",
    "notice_period_days",
    "second_convocation_quorum",
    "expense_tolerance",
    "plan_adoption_deadline_days",
    "audit_frequency_months",
    "evaluation_frequency_months",
)
_FRACTION_FIELDS = (
    "threshold",
    "quorum",
    "quorum_per_college",
    "fallback_threshold",
    "max_seat_share_per_organization",
    "min_women_share",
    "second_convocation_quorum",
    "expense_tolerance",
)
SEAT_FIELDS = ("organization", "college", "voting", "expertise", "label")


def _today() -> date:
    return timezone.localdate()


def _day(value: date) -> str:
    return str(formats.date_format(value, "SHORT_DATE_FORMAT"))


# --- Governance settings ---------------------------------------------------------------------


def governance_settings_ensure(*, partnership: Partnership) -> GovernanceSettings:
    """The partnership's settings record, created with the defaults when missing."""
    settings, _created = GovernanceSettings.objects.get_or_create(partnership=partnership)
    return settings


@transaction.atomic
def governance_settings_update(
    *, by: Actor, partnership: Partnership, fields: Mapping[str, object]
) -> GovernanceSettings:
    require(by, Perm.GOVERNANCE_SETTINGS_CHANGE, partnership)
    rules = rules_in_force_get(partnership=partnership)
    if rules.source != "settings":
        raise DomainError(
            Code.RULES_OWNED_BY_CONVENTION,
            gettext(
                "Ces règles sont fixées par la convention en vigueur (%(source)s) : "
                "modifiez-les par un avenant."
            )
            % {"source": rules.source_label},
        )
    governance_settings_ensure(partnership=partnership)
    settings = GovernanceSettings.objects.select_for_update(of=("self",)).get(
        partnership=partnership
    )
    assign_fields(settings, fields, allowed=SETTINGS_FIELDS)
    errors: dict[str, list[str]] = {}
    for name in _FRACTION_FIELDS:
        value = str(getattr(settings, name) or "").strip()
        try:
            setattr(settings, name, normalize_share(value) if value else "")
        except (ValueError, ZeroDivisionError):
            errors[name] = [gettext("Fraction mal formée : écrivez par exemple 2/3 ou 0,5.")]
    if errors:
        raise ValidationFailed(gettext("Fraction mal formée."), errors)
    settings.required_colleges = sorted({str(c) for c in settings.required_colleges or []})
    return clean_and_save(settings)


# --- Board and colleges ----------------------------------------------------------------------


def _belongs(obj_board_id: int, board: Board, what: str) -> None:
    if obj_board_id != board.pk:
        raise DomainError(
            Code.WRONG_PARTNERSHIP,
            gettext("%(what)s n'appartient pas au conseil de ce partenariat.") % {"what": what},
        )


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


def _party_ids(partnership_id: int) -> set[int]:
    return set(
        Party.objects.filter(partnership_id=partnership_id).values_list(
            "organization_id", flat=True
        )
    )


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
    return [
        composition.SeatState(
            id=seat.pk,
            group=composition.Group(seat.organization_id, seat.college.code, seat.voting),
            occupied=seat.pk in holders,
            expert=bool(seat.expertise),
            gender=holders[seat.pk].person.gender if seat.pk in holders else "x",
            holder=str(holders[seat.pk].person) if seat.pk in holders else "",
        )
        for seat in seats
    ]


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


# --- Mandates --------------------------------------------------------------------------------


QS = TypeVar("QS", bound=QuerySet[Any])


def _overlapping(queryset: QS, start: date, end: date | None) -> QS:
    """Rows of ``queryset`` (with start_date/end_date, end inclusive) overlapping the period."""
    queryset = queryset.filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
    if end is not None:
        queryset = queryset.filter(start_date__lte=end)
    return queryset


@transaction.atomic
def mandate_create(
    *,
    by: Actor,
    board: Board,
    seat: Seat,
    person: Person,
    start_date: date,
    end_date: date | None = None,
    on_behalf_of: Organization | None = None,
) -> Mandate:
    """Seat ``person`` from ``start_date`` (to ``end_date``, the last day, if known)."""
    require(by, Perm.BOARD_CHANGE, board.partnership)
    _belongs(seat.board_id, board, gettext("Ce siège"))
    # The row lock on the seat serialises concurrent appointments to it (PostgreSQL); on
    # SQLite the IMMEDIATE transaction already holds the database's write lock.
    seat = (
        Seat.objects.select_for_update(of=("self",)).select_related("organization").get(pk=seat.pk)
    )
    if end_date is not None and end_date < start_date:
        raise DomainError(
            Code.MANDATE_END_BEFORE_START,
            gettext("La fin du mandat précède son début."),
            field="end_date",
        )
    if start_date < seat.established_on:
        raise DomainError(
            Code.MANDATE_OUTSIDE_SEAT,
            gettext("Ce siège n'existe que depuis le %(date)s.")
            % {"date": _day(seat.established_on)},
            field="start_date",
        )
    if seat.abolished_on is not None and (end_date is None or end_date >= seat.abolished_on):
        raise DomainError(
            Code.SEAT_ABOLISHED,
            gettext("Ce siège a été supprimé le %(date)s.") % {"date": _day(seat.abolished_on)},
            field="start_date",
        )
    clash = (
        _overlapping(Mandate.objects.filter(seat=seat), start_date, end_date)
        .select_related("person")
        .first()
    )
    if clash is not None:
        until = _day(clash.end_date) if clash.end_date else gettext("sans date de fin")
        raise DomainError(
            Code.MANDATE_OVERLAP,
            gettext(
                "Ce siège est déjà occupé par %(person)s sur cette période (du %(start)s, "
                "%(until)s). Mettez fin à ce mandat ou commencez le nouveau le lendemain "
                "de sa fin."
            )
            % {"person": clash.person, "start": _day(clash.start_date), "until": until},
            field="start_date",
        )
    # One seat per person: two appointments of the same person to two seats lock two
    # different seats, so the person's row serialises them (lock order: seat, then person).
    Person.objects.select_for_update().filter(pk=person.pk).first()
    seated = _overlapping(
        Mandate.objects.filter(seat__board=board, person=person), start_date, end_date
    ).exists()
    if seated:
        raise DomainError(
            Code.PERSON_ALREADY_SEATED,
            gettext("%(person)s siège déjà au conseil sur cette période.") % {"person": person},
            field="person",
        )
    behalf = on_behalf_of or seat.organization
    if (
        behalf is not None
        and behalf.pk != seat.organization_id
        and behalf.pk not in _party_ids(board.partnership_id)
    ):
        raise DomainError(
            Code.ORGANIZATION_NOT_PARTY,
            gettext("%(org)s n'est pas partie à ce partenariat.") % {"org": behalf},
            field="on_behalf_of",
        )
    return clean_and_save(
        Mandate(
            seat=seat, person=person, start_date=start_date, end_date=end_date, on_behalf_of=behalf
        )
    )


@transaction.atomic
def mandate_end(
    *, by: Actor, board: Board, mandate: Mandate, end_date: date, reason: str = ""
) -> Mandate:
    """Set the last day of ``mandate`` (never deletes it); its officer terms end with it."""
    require(by, Perm.BOARD_CHANGE, board.partnership)
    _belongs(mandate.seat.board_id, board, gettext("Ce mandat"))
    Seat.objects.select_for_update(of=("self",)).filter(pk=mandate.seat_id).first()
    mandate = Mandate.objects.select_for_update(of=("self",)).get(pk=mandate.pk)
    if mandate.end_date is not None:
        raise DomainError(
            Code.MANDATE_ALREADY_ENDED,
            gettext("Ce mandat a déjà pris fin le %(date)s.") % {"date": _day(mandate.end_date)},
        )
    if end_date < mandate.start_date:
        raise DomainError(
            Code.MANDATE_END_BEFORE_START,
            gettext("La fin du mandat ne peut précéder son début (%(date)s).")
            % {"date": _day(mandate.start_date)},
            field="end_date",
        )
    offices = list(
        Officer.objects.select_for_update(of=("self",))
        .filter(mandate=mandate)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=end_date))
    )
    for office in offices:
        if office.start_date > end_date:
            raise DomainError(
                Code.OFFICER_OUTSIDE_MANDATE,
                gettext(
                    "Une fonction au bureau (%(role)s) commence après cette date : "
                    "mettez-y fin d'abord."
                )
                % {"role": office.get_role_display()},
                field="end_date",
            )
        office.end_date = end_date
        set_change_reason(office, reason)
        office.save(update_fields=["end_date", "updated_at"])
    mandate.end_date = end_date
    mandate.end_reason = reason
    set_change_reason(mandate, reason)
    mandate.save(update_fields=["end_date", "end_reason", "updated_at"])
    return mandate


# --- Officers --------------------------------------------------------------------------------


@transaction.atomic
def officer_appoint(
    *,
    by: Actor,
    board: Board,
    mandate: Mandate,
    role: str,
    start_date: date,
    appointment_note: str = "",
    appointing_decision_id: int | None = None,
) -> Officer:
    require(by, Perm.BOARD_CHANGE, board.partnership)
    _belongs(mandate.seat.board_id, board, gettext("Ce mandat"))
    Board.objects.select_for_update(of=("self",)).filter(pk=board.pk).first()
    if role not in OfficerRole.values:
        raise ValidationFailed(
            gettext("Fonction inconnue."), {"role": [gettext("Fonction inconnue.")]}
        )
    if not mandate.seat.voting:
        raise DomainError(
            Code.OFFICER_NOT_VOTING,
            gettext(
                "Un membre du bureau doit siéger avec voix délibérative ; %(person)s est "
                "membre consultatif."
            )
            % {"person": mandate.person},
            field="mandate",
        )
    end_date = mandate.end_date
    if start_date < mandate.start_date or (end_date is not None and start_date > end_date):
        raise DomainError(
            Code.OFFICER_OUTSIDE_MANDATE,
            gettext("La nomination doit tomber pendant le mandat de %(person)s.")
            % {"person": mandate.person},
            field="start_date",
        )
    clash = _overlapping(Officer.objects.filter(board=board, role=role), start_date, end_date)
    holder = clash.select_related("mandate__person").first()
    if holder is not None:
        raise DomainError(
            Code.OFFICER_ROLE_TAKEN,
            gettext(
                "La fonction de %(role)s est déjà tenue par %(person)s sur cette période : "
                "mettez-y fin d'abord."
            )
            % {"role": OfficerRole(role).label, "person": holder.mandate.person},
            field="role",
        )
    return clean_and_save(
        Officer(
            board=board,
            role=role,
            mandate=mandate,
            start_date=start_date,
            end_date=end_date,
            appointment_note=appointment_note,
            appointing_decision_id=appointing_decision_id,
        )
    )


@transaction.atomic
def officer_end(*, by: Actor, board: Board, officer: Officer, end_date: date) -> Officer:
    require(by, Perm.BOARD_CHANGE, board.partnership)
    _belongs(officer.board_id, board, gettext("Cette fonction"))
    officer = Officer.objects.select_for_update(of=("self",)).get(pk=officer.pk)
    if officer.end_date is not None and officer.end_date <= end_date:
        raise DomainError(
            Code.OFFICER_ALREADY_ENDED,
            gettext("Cette fonction prend déjà fin le %(date)s.")
            % {"date": _day(officer.end_date)},
        )
    if end_date < officer.start_date:
        raise DomainError(
            Code.MANDATE_END_BEFORE_START,
            gettext("La fin précède le début de la fonction."),
            field="end_date",
        )
    officer.end_date = end_date
    officer.save(update_fields=["end_date", "updated_at"])
    return officer


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
