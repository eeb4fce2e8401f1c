"""Directory reads."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from sharaka.core.access import Perm, require
from sharaka.core.errors import NotFound
from sharaka.directory.models import Organization, Person


def organization_list(
    *, user: Any, search: str = "", kind: str = "", city: str = ""
) -> QuerySet[Organization]:
    require(user, Perm.DIRECTORY_VIEW)
    organizations = Organization.objects.all()
    if search:
        organizations = organizations.filter(
            Q(name__icontains=search)
            | Q(short_name__icontains=search)
            | Q(city__icontains=search)
            | Q(legal_identifier__icontains=search)
        )
    if kind:
        organizations = organizations.filter(kind=kind)
    if city:
        organizations = organizations.filter(city__iexact=city)
    return organizations.order_by("name")


def organization_get(*, user: Any, pk: int) -> Organization:
    require(user, Perm.DIRECTORY_VIEW)
    organization = Organization.objects.filter(pk=pk).first()
    if organization is None:
        raise NotFound()
    return organization


def organization_people(*, organization: Organization) -> list[Person]:
    return list(organization.people.order_by("last_name", "first_name"))


def person_list(
    *, user: Any, search: str = "", gender: str = "", organization_id: int | None = None
) -> QuerySet[Person]:
    require(user, Perm.DIRECTORY_VIEW)
    people = Person.objects.select_related("organization")
    if search:
        people = people.filter(
            Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
            | Q(position__icontains=search)
            | Q(organization__name__icontains=search)
        )
    if gender:
        people = people.filter(gender=gender)
    if organization_id:
        people = people.filter(organization_id=organization_id)
    return people.order_by("last_name", "first_name")


def person_get(*, user: Any, pk: int) -> Person:
    require(user, Perm.DIRECTORY_VIEW)
    person = Person.objects.select_related("organization").filter(pk=pk).first()
    if person is None:
        raise NotFound()
    return person


def city_choices() -> list[str]:
    return list(
        Organization.objects.exclude(city="")
        .order_by("city")
        .values_list("city", flat=True)
        .distinct()
    )
