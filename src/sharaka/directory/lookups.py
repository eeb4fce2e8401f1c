"""The directory's search-as-you-type choices (``core.lookups``, issue 19): a person, an
organisation, an authority. Anyone who reads the directory (``DIRECTORY_VIEW``: every
signed-in user) may search it; a result shows the name and the organisation only, never a
contact (``PERSON_CONTACT_VIEW`` is scoped, issue 21)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sharaka.core.access import Perm, require
from sharaka.core.lookups import Lookup, register
from sharaka.core.types import Actor
from sharaka.directory.models import AUTHORITY_KINDS, Organization, OrganizationKind, Person


def _people(user: Actor | None, params: Mapping[str, str]) -> QuerySet[Person]:
    require(user, Perm.DIRECTORY_VIEW)
    return Person.objects.select_related("organization")


def _organizations(user: Actor | None, params: Mapping[str, str]) -> QuerySet[Organization]:
    require(user, Perm.DIRECTORY_VIEW)
    return Organization.objects.all()


def _authorities(user: Actor | None, params: Mapping[str, str]) -> QuerySet[Organization]:
    require(user, Perm.DIRECTORY_VIEW)
    return Organization.objects.filter(kind__in=AUTHORITY_KINDS)


def _person_context(person: Any) -> str:
    parts = [person.position, person.organization.name if person.organization else ""]
    return ", ".join(part for part in parts if part) or str(_("sans organisation"))


def organization_context(organization: Any) -> str:
    return ", ".join(
        str(part) for part in (organization.get_kind_display(), organization.city) if part
    )


PEOPLE = register(
    Lookup(
        name="people", model=Person, scope=_people,
        search=("last_name", "first_name", "organization__name"),
        order=("last_name", "first_name", "id"), context=_person_context,
    )
)  # fmt: skip
ORGANIZATIONS = register(
    Lookup(
        name="organizations", model=Organization, scope=_organizations,
        search=("name", "short_name", "city"), order=("name", "id"),
        context=organization_context,
    )
)  # fmt: skip
AUTHORITIES = register(
    Lookup(
        name="authorities", model=Organization, scope=_authorities,
        search=("name", "short_name", "city"), order=("name", "id"),
        context=organization_context,
    )
)  # fmt: skip


def _associations(user: Actor | None, params: Mapping[str, str]) -> QuerySet[Organization]:
    require(user, Perm.DIRECTORY_VIEW)
    return Organization.objects.filter(kind=OrganizationKind.ASSOCIATION)


#: The association an agenda item concerns (``AgendaItem.association``, ADR 0030).
ASSOCIATIONS = register(
    Lookup(
        name="directory_associations", model=Organization, scope=_associations,
        search=("name", "short_name", "city"), order=("name", "id"),
        context=organization_context,
    )
)  # fmt: skip
