"""Directory writes: organisations and people.

Adding an entry needs ``DIRECTORY_CHANGE``; changing one is scoped (``core.access``): an
organisation by its own officers, a person by the officers of their organisation or of the
lead authority of a partnership where they currently sit or work (and the platform admin).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from sharaka.core.access import (
    Perm,
    PersonScope,
    can_on_person,
    require,
    require_on_organization,
    require_on_person,
)
from sharaka.core.errors import DomainError
from sharaka.core.services import assign_fields, clean_and_save
from sharaka.directory.error_codes import DirectoryErrorCode
from sharaka.directory.models import DEFAULT_COLLEGE_BY_KIND, Organization, OrganizationKind, Person
from sharaka.directory.selectors import person_scope_get

ORGANIZATION_FIELDS = (
    "name", "short_name", "kind", "default_college", "legal_identifier", "registration_number",
    "address", "city", "country", "email", "phone", "website", "declaration_date",
    "receipt_number", "receipt_kind", "public_utility", "statutes_on_file", "notes",
)  # fmt: skip
PERSON_FIELDS = (
    "first_name", "last_name", "gender", "organization", "position", "email", "phone",
    "is_expert", "notes",
)  # fmt: skip


def _default_college(organization: Organization) -> None:
    if not organization.default_college and organization.kind in OrganizationKind.values:
        organization.default_college = DEFAULT_COLLEGE_BY_KIND[OrganizationKind(organization.kind)]


@transaction.atomic
def organization_create(*, by: Any, fields: Mapping[str, Any]) -> Organization:
    require(by, Perm.DIRECTORY_CHANGE)
    organization = assign_fields(Organization(), fields, allowed=ORGANIZATION_FIELDS)
    _default_college(organization)
    return clean_and_save(organization)


@transaction.atomic
def organization_update(
    *, by: Any, organization: Organization, fields: Mapping[str, Any]
) -> Organization:
    require_on_organization(by, Perm.ORGANIZATION_CHANGE, organization.pk)
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    assign_fields(organization, fields, allowed=ORGANIZATION_FIELDS)
    _default_college(organization)
    return clean_and_save(organization)


@transaction.atomic
def person_create(*, by: Any, fields: Mapping[str, Any]) -> Person:
    require(by, Perm.DIRECTORY_CHANGE)
    return clean_and_save(assign_fields(Person(), fields, allowed=PERSON_FIELDS))


@transaction.atomic
def person_update(*, by: Any, person: Person, fields: Mapping[str, Any]) -> Person:
    person = Person.objects.select_for_update().get(pk=person.pk)
    require_on_person(by, Perm.PERSON_CHANGE, person_scope_get(person=person))
    old_organization_id = person.organization_id
    assign_fields(person, fields, allowed=PERSON_FIELDS)
    if (
        old_organization_id is not None
        and person.organization_id != old_organization_id
        and not can_on_person(by, Perm.PERSON_CHANGE, PersonScope(old_organization_id))
    ):
        # The lead authority's officers keep the contact details of its board up to date;
        # moving someone out of their organisation is for that organisation's officers.
        raise DomainError(
            DirectoryErrorCode.ORGANIZATION_MOVE_DENIED,
            gettext(
                "Seuls les agents de l'organisation de cette personne peuvent la rattacher "
                "à une autre organisation."
            ),
            field="organization",
        )
    return clean_and_save(person)
