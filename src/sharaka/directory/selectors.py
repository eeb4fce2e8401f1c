"""Directory reads.

Lists show names, positions and organisations to every signed-in user. A person's e-mail
and phone are read only by the users ``core.access.can_on_person`` allows, which needs the
partnerships where the person currently sits or works: the apps that own those links
(governance: board mandates; structure: staff assignments) register a *workplace source*
here, so that the directory does not import the apps above it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from sharaka.core.access import (
    Perm,
    PersonScope,
    Workplace,
    can_on_organization,
    can_on_person,
    require,
    require_on_organization,
    require_on_person,
)
from sharaka.core.querysets import found, narrow, text_search
from sharaka.core.rules.deadline import Calendar
from sharaka.directory.models import Holiday, Organization, Person, WorkingCalendar

#: A person's fields that only the users who work with them may read.
CONTACT_FIELDS = ("email", "phone")

#: ``source(person_ids, on)`` yields ``(person_id, partnership_id, lead_authority_id)`` for
#: every partnership where one of those people holds, on ``on`` or later, a role (one query).
WorkplaceSource = Callable[[Collection[int], date], Iterable[tuple[int, int, int]]]
_workplace_sources: list[WorkplaceSource] = []


def workplace_source_register(source: WorkplaceSource) -> None:
    """Called by the apps owning people's roles on partnerships, from ``AppConfig.ready``."""
    if source not in _workplace_sources:
        _workplace_sources.append(source)


def person_scopes(*, people: Iterable[Person], on: date | None = None) -> dict[int, PersonScope]:
    """What the access policy needs of each person (one query per workplace source)."""
    people = list(people)
    on = on or timezone.localdate()
    workplaces: dict[int, set[Workplace]] = {p.pk: set() for p in people}
    if people:
        for source in _workplace_sources:
            for person_id, partnership_id, lead_id in source(list(workplaces), on):
                workplaces[person_id].add(Workplace(partnership_id, lead_id))
    return {p.pk: PersonScope(p.organization_id, frozenset(workplaces[p.pk])) for p in people}


def person_scope_get(*, person: Person) -> PersonScope:
    return person_scopes(people=[person])[person.pk]


@dataclass(frozen=True)
class PersonCapabilities:
    change: bool
    see_contact: bool


def person_capabilities(*, user: Any, person: Person) -> PersonCapabilities:
    scope = person_scope_get(person=person)
    return PersonCapabilities(
        change=can_on_person(user, Perm.PERSON_CHANGE, scope),
        see_contact=can_on_person(user, Perm.PERSON_CONTACT_VIEW, scope),
    )


def organization_can_change(*, user: Any, organization: Organization) -> bool:
    return can_on_organization(user, Perm.ORGANIZATION_CHANGE, organization.pk)


def organization_list(
    *, user: Any, search: str = "", kind: str = "", city: str = ""
) -> QuerySet[Organization]:
    require(user, Perm.DIRECTORY_VIEW)
    organizations = text_search(
        Organization.objects.all(), search, ("name", "short_name", "city", "legal_identifier")
    )
    return narrow(organizations, kind=kind, city__iexact=city).order_by("name")


def organization_get(*, user: Any, pk: int) -> Organization:
    require(user, Perm.DIRECTORY_VIEW)
    return found(Organization.objects.filter(pk=pk).first())


def organization_people(*, organization: Organization) -> QuerySet[Person]:
    """The organisation's people, to be paginated by the caller (names and positions only)."""
    return organization.people.order_by("last_name", "first_name", "pk")


def person_list(
    *, user: Any, search: str = "", gender: str = "", organization_id: int | None = None
) -> QuerySet[Person]:
    """People by name; the search never looks at e-mail or phone (it would reveal them)."""
    require(user, Perm.DIRECTORY_VIEW)
    people = text_search(
        Person.objects.select_related("organization"),
        search,
        ("first_name", "last_name", "position", "organization__name"),
    )
    people = narrow(people, gender=gender, organization_id=organization_id)
    return people.order_by("last_name", "first_name", "pk")


def person_get(*, user: Any, pk: int) -> Person:
    require(user, Perm.DIRECTORY_VIEW)
    return found(Person.objects.select_related("organization").filter(pk=pk).first())


def organization_for_change(*, user: Any, pk: int) -> Organization:
    """The organisation, if ``user`` may change it (its own officers, the admin): 403."""
    organization = organization_get(user=user, pk=pk)
    require_on_organization(user, Perm.ORGANIZATION_CHANGE, organization.pk)
    return organization


def person_for_change(*, user: Any, pk: int) -> Person:
    """The person, if ``user`` may change them (``core.access.can_on_person``): 403."""
    person = person_get(user=user, pk=pk)
    require_on_person(user, Perm.PERSON_CHANGE, person_scope_get(person=person))
    return person


def calendars_get(organization_ids: Iterable[int]) -> dict[int, Calendar]:
    """The working calendar of each given authority (two queries whatever their number, none
    for no authority); an authority without one works Monday to Friday with no holiday."""
    ids = set(organization_ids)
    if not ids:
        return {}
    weekends = {
        c.organization_id: c.weekend
        for c in WorkingCalendar.objects.filter(organization_id__in=ids)
    }
    holidays: dict[int, set[date]] = {}
    rows = Holiday.objects.filter(calendar__organization_id__in=ids).values_list(
        "calendar__organization_id", "day"
    )
    for org_id, day in rows:
        holidays.setdefault(org_id, set()).add(day)
    return {
        org_id: Calendar(
            weekends.get(org_id, Calendar().weekend), frozenset(holidays.get(org_id, ()))
        )
        for org_id in ids
    }


def territory_authorities_get(province_id: int) -> frozenset[int]:
    """The authorities of a province's territory: the province and its communes (issue 19,
    ``core.access.territory_authorities``). One query."""
    communes = Organization.objects.filter(province_id=province_id).values_list("pk", flat=True)
    return frozenset({province_id, *communes})
