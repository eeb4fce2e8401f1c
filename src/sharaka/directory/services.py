"""Directory writes: organisations and people.

Adding an entry needs ``DIRECTORY_CHANGE``; changing one is scoped (``core.access``): an
organisation by its own officers, a person by the officers of their organisation or of the
lead authority of a partnership where they currently sit or work (and the platform admin).
A change of a person's e-mail is kept in the history with who made it, and notified to the
old and the new address by a background task once the change is committed.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial

from django.db import transaction
from django.utils import timezone, translation
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
from sharaka.core.history import set_history_user
from sharaka.core.services import assign_fields, clean_and_save
from sharaka.core.types import Actor
from sharaka.directory.error_codes import DirectoryErrorCode
from sharaka.directory.models import DEFAULT_COLLEGE_BY_KIND, Organization, OrganizationKind, Person
from sharaka.directory.selectors import person_scope_get
from sharaka.directory.tasks import email_change_notify

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


def _record_author(instance: Organization | Person, by: Actor) -> None:
    """The history names ``by`` even outside a web request (API, command line, tasks)."""
    if by.is_authenticated:
        set_history_user(instance, by)


@transaction.atomic
def organization_create(*, by: Actor, fields: Mapping[str, object]) -> Organization:
    require(by, Perm.DIRECTORY_CHANGE)
    organization = assign_fields(Organization(), fields, allowed=ORGANIZATION_FIELDS)
    _default_college(organization)
    _record_author(organization, by)
    return clean_and_save(organization)


@transaction.atomic
def organization_update(
    *, by: Actor, organization: Organization, fields: Mapping[str, object]
) -> Organization:
    require_on_organization(by, Perm.ORGANIZATION_CHANGE, organization.pk)
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    assign_fields(organization, fields, allowed=ORGANIZATION_FIELDS)
    _default_college(organization)
    _record_author(organization, by)
    return clean_and_save(organization)


@transaction.atomic
def person_create(*, by: Actor, fields: Mapping[str, object]) -> Person:
    require(by, Perm.DIRECTORY_CHANGE)
    person = assign_fields(Person(), fields, allowed=PERSON_FIELDS)
    _record_author(person, by)
    return clean_and_save(person)


@transaction.atomic
def person_update(*, by: Actor, person: Person, fields: Mapping[str, object]) -> Person:
    person = Person.objects.select_for_update().get(pk=person.pk)
    require_on_person(by, Perm.PERSON_CHANGE, person_scope_get(person=person))
    old_organization_id, old_email = person.organization_id, person.email
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
    _record_author(person, by)
    person = clean_and_save(person)
    if person.email != old_email:
        transaction.on_commit(
            partial(
                email_change_notify.enqueue,
                person_name=str(person),
                old_email=old_email,
                new_email=person.email,
                changed_by=_who(by),
                changed_at=timezone.now().isoformat(),
                language=translation.get_language() or "fr",
            )
        )
    return person


def _who(user: Actor) -> str:
    full_name = user.get_full_name() if hasattr(user, "get_full_name") else ""
    username = getattr(user, "username", "")
    return f"{full_name} ({username})" if full_name and username else full_name or username
