"""Councillors of an authority and bureau members of an association (law 113-14 art. 65,
ADR 0030): the lists, adding a term and ending one. A term is never deleted nor rewritten:
ending it only sets its last day, and ``simple_history`` keeps every change.

An authority's officers (``ADMISSIBILITY_CHANGE``) write its councillors and the bureau of
an association that has an admissibility file with it; its readers read them; anyone else
gets 404 (``partners.access``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from sharaka.core.access import Capabilities, Perm
from sharaka.core.errors import DomainError, NotFound
from sharaka.core.types import Actor
from sharaka.directory.models import AUTHORITY_KINDS, Organization, OrganizationKind, Person
from sharaka.partners import access
from sharaka.partners.error_codes import PartnersErrorCode as Code
from sharaka.partners.models import AdmissibilityFile, BureauMember, Councillor

PAGE_SIZE = 50

Term = Councillor | BureauMember


# --- Rules of a term -------------------------------------------------------------------------


def _check_dates(start: dt.date, end: dt.date | None) -> None:
    if end is not None and end < start:
        raise DomainError(
            Code.DATES_ORDER,
            gettext("Fin du mandat : le dernier jour ne peut précéder le début (%(start)s).")
            % {"start": start.isoformat()},
            field="end_date",
        )


def _refuse_overlap(open_terms: QuerySet[Councillor] | QuerySet[BureauMember],
                    start: dt.date, end: dt.date | None) -> None:  # fmt: skip
    """A person holds one term at a time: a new term may not overlap an existing one."""
    overlapping = open_terms.filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
    if end is not None:
        overlapping = overlapping.filter(start_date__lte=end)
    if overlapping.exists():
        raise DomainError(
            Code.TERM_OPEN,
            gettext("Personne : elle a déjà un mandat sur cette période ; terminez-le d'abord."),
            field="person",
        )


# --- Councillors ---------------------------------------------------------------------------


@transaction.atomic
def councillor_add(
    *, by: Actor, authority: Organization, person: Person, start_date: dt.date,
    end_date: dt.date | None = None,
) -> Councillor:  # fmt: skip
    """Seat ``person`` on the council of ``authority``. A refusal changes nothing."""
    access.require(by, Perm.ADMISSIBILITY_CHANGE, authority.pk)
    if authority.kind not in AUTHORITY_KINDS:
        raise DomainError(Code.NOT_AUTHORITY, gettext("Seule une collectivité a des élus."),
                          field="authority")  # fmt: skip
    _check_dates(start_date, end_date)
    Person.objects.select_for_update().filter(pk=person.pk).first()
    _refuse_overlap(
        Councillor.objects.filter(authority=authority, person=person), start_date, end_date
    )
    return Councillor.objects.create(
        authority=authority, person=person, start_date=start_date, end_date=end_date
    )


def _end(term: Term, end_date: dt.date) -> Term:
    locked = type(term).objects.select_for_update().get(pk=term.pk)
    if locked.end_date is not None:
        raise DomainError(
            Code.TERM_ENDED,
            gettext("Ce mandat est déjà terminé (le %(end)s).") % {"end": locked.end_date},
            field="end_date",
        )
    _check_dates(locked.start_date, end_date)
    locked.end_date = end_date
    locked.save(update_fields=["end_date", "updated_at"])
    return locked


@transaction.atomic
def councillor_end(*, by: Actor, councillor: Councillor, end_date: dt.date) -> Councillor:
    """End a sitting councillor's term on ``end_date`` (last day). Never deletes."""
    access.require(by, Perm.ADMISSIBILITY_CHANGE, councillor.authority_id)
    ended = _end(councillor, end_date)
    assert isinstance(ended, Councillor)
    return ended


# --- Bureau members ------------------------------------------------------------------------


@transaction.atomic
def bureau_member_add(
    *, by: Actor, file: AdmissibilityFile, person: Person, role: str, start_date: dt.date,
    end_date: dt.date | None = None,
) -> BureauMember:  # fmt: skip
    """Record ``person`` on the bureau of the file's association. A refusal changes nothing."""
    access.require(by, Perm.ADMISSIBILITY_CHANGE, file.authority_id)
    association = file.association
    if association.kind != OrganizationKind.ASSOCIATION:
        raise DomainError(Code.NOT_ASSOCIATION, gettext("Seule une association a un bureau."),
                          field="association")  # fmt: skip
    _check_dates(start_date, end_date)
    Person.objects.select_for_update().filter(pk=person.pk).first()
    _refuse_overlap(
        BureauMember.objects.filter(association=association, person=person), start_date, end_date
    )
    return BureauMember.objects.create(
        association=association, person=person, role=role.strip(), start_date=start_date,
        end_date=end_date,
    )  # fmt: skip


@transaction.atomic
def bureau_member_end(
    *, by: Actor, file: AdmissibilityFile, member: BureauMember, end_date: dt.date
) -> BureauMember:
    """End a bureau member's term on ``end_date`` (last day). Never deletes."""
    access.require(by, Perm.ADMISSIBILITY_CHANGE, file.authority_id)
    if member.association_id != file.association_id:
        raise NotFound()
    ended = _end(member, end_date)
    assert isinstance(ended, BureauMember)
    return ended


# --- Selectors -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TermPage:
    rows: list[Term]
    next_after: str  # "person_id.id" of the last row when there is a next page, else ""
    can: Capabilities
    on: dt.date


def parse_after(raw: str) -> tuple[int, int] | None:
    """The key ``person_id.id`` after which a page starts (None: from the start)."""
    head, _, tail = raw.partition(".")
    if head.isdigit() and tail.isdigit() and len(head) < 19 and len(tail) < 19:
        return int(head), int(tail)
    return None


def _page(
    queryset: QuerySet[Councillor] | QuerySet[BureauMember], *, user: Actor | None,
    authority_id: int, after: tuple[int, int] | None, size: int,
) -> TermPage:  # fmt: skip
    if after is not None:
        person_id, pk = after
        queryset = queryset.filter(Q(person_id__gt=person_id) | Q(person_id=person_id, pk__gt=pk))
    rows: list[Term] = list(
        queryset.select_related("person").order_by("person_id", "pk")[: size + 1]
    )
    next_after = f"{rows[size - 1].person_id}.{rows[size - 1].pk}" if len(rows) > size else ""
    return TermPage(
        rows=rows[:size], next_after=next_after,
        can=access.capabilities(user, authority_id), on=dt.date.today(),
    )  # fmt: skip


def councillor_page_get(
    *, user: Actor | None, authority: Organization, after: tuple[int, int] | None = None,
    size: int = PAGE_SIZE,
) -> TermPage:  # fmt: skip
    """One page of the authority's councillors, sitting and former, by (person, id): the
    index ``partners_councillor_order``. 1 query (+ the rights, asked once)."""
    access.require(user, Perm.ADMISSIBILITY_VIEW, authority.pk)
    return _page(Councillor.objects.filter(authority=authority), user=user,
                 authority_id=authority.pk, after=after, size=size)  # fmt: skip


def bureau_page_get(
    *, user: Actor | None, file: AdmissibilityFile, after: tuple[int, int] | None = None,
    size: int = PAGE_SIZE,
) -> TermPage:  # fmt: skip
    """One page of the bureau of the file's association, current and former, by (person,
    id): the index ``partners_bureau_order``. 1 query (+ the rights)."""
    access.require(user, Perm.ADMISSIBILITY_VIEW, file.authority_id)
    return _page(BureauMember.objects.filter(association_id=file.association_id), user=user,
                 authority_id=file.authority_id, after=after, size=size)  # fmt: skip


def councillor_get(*, user: Actor | None, authority: Organization, pk: int) -> Councillor:
    """One councillor of ``authority`` (404 otherwise; 403 to a reader). 1 query."""
    access.require(user, Perm.ADMISSIBILITY_CHANGE, authority.pk)
    councillor = (
        Councillor.objects.select_related("person", "authority")
        .filter(pk=pk, authority=authority)
        .first()
    )
    if councillor is None:
        raise NotFound()
    return councillor


def bureau_member_get(*, user: Actor | None, file: AdmissibilityFile, pk: int) -> BureauMember:
    """One bureau member of the file's association (404 otherwise; 403 to a reader)."""
    access.require(user, Perm.ADMISSIBILITY_CHANGE, file.authority_id)
    member = (
        BureauMember.objects.select_related("person")
        .filter(pk=pk, association_id=file.association_id)
        .first()
    )
    if member is None:
        raise NotFound()
    return member
