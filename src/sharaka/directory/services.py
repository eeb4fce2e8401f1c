"""Directory writes: organisations and people."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from sharaka.core.access import Perm, require
from sharaka.core.services import assign_fields, clean_and_save
from sharaka.directory.models import DEFAULT_COLLEGE_BY_KIND, Organization, OrganizationKind, Person

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
    require(by, Perm.DIRECTORY_CHANGE)
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
    require(by, Perm.DIRECTORY_CHANGE)
    person = Person.objects.select_for_update().get(pk=person.pk)
    return clean_and_save(assign_fields(person, fields, allowed=PERSON_FIELDS))
