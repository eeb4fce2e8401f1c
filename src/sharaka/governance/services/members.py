"""The board's members: mandates (who holds a seat, when) and officers (the chair, the
secretary, the treasurer… among the voting members)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext

from sharaka.core.access import Perm, require
from sharaka.core.errors import DomainError, ValidationFailed
from sharaka.core.history import set_change_reason
from sharaka.core.services import clean_and_save
from sharaka.core.types import Actor
from sharaka.directory.models import Organization, Person
from sharaka.governance.error_codes import GovernanceErrorCode as Code
from sharaka.governance.models import Board, Mandate, Officer, OfficerRole, Seat
from sharaka.governance.services.common import _belongs, _day, _overlapping, _party_ids

# --- Mandates --------------------------------------------------------------------------------


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
