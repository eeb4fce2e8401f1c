"""The auditor of an engagement, chosen by search-as-you-type (``core.lookups``) rather than
typed as a login name. Whoever edits the partnership's audit plan (``AUDIT_PLAN_CHANGE``,
checked through ``core.access`` before anything is read) may search the active accounts,
external auditors included; a result shows the name and the organisation, never a contact."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from sharaka.core.access import Perm
from sharaka.core.lookups import Lookup, register
from sharaka.core.types import Actor
from sharaka.directory.models import Person
from sharaka.partnerships import selectors as partnership_selectors
from sharaka.partnerships.models import Party


def _auditors(user: Actor | None, params: Mapping[str, str]) -> QuerySet[Any]:
    partnership_selectors.partnership_get(
        user=user, slug=params.get("partnership", ""), perm=Perm.AUDIT_PLAN_CHANGE
    )
    return get_user_model().objects.filter(is_active=True).select_related("organization")


def _label(user: Any) -> str:
    return f"{user.get_full_name() or user.get_username()} ({user.get_username()})"


def _context(user: Any) -> str:
    return user.organization.name if user.organization_id else ""


AUDITORS = register(
    Lookup(
        name="auditors", model=get_user_model(), scope=_auditors,
        search=("last_name", "first_name", "username", "organization__name"),
        order=("last_name", "first_name", "id"), label=_label, context=_context,
        params=("partnership",),
    )
)  # fmt: skip


def _owners(user: Actor | None, params: Mapping[str, str]) -> QuerySet[Person]:
    """The people of the partnership's parties, for the engaged auditor (``AUDIT_ENGAGE``)
    naming who answers a recommendation."""
    partnership = partnership_selectors.partnership_get(
        user=user, slug=params.get("partnership", ""), perm=Perm.AUDIT_ENGAGE
    )
    organizations = Party.objects.filter(partnership=partnership).values("organization_id")
    return Person.objects.filter(organization_id__in=organizations).select_related("organization")


def _owner_context(person: Any) -> str:
    parts = [person.position, person.organization.name if person.organization_id else ""]
    return ", ".join(part for part in parts if part)


#: The person of a party who answers a recommendation (ADR 0051).
OWNERS = register(
    Lookup(
        name="audit_owners", model=Person, scope=_owners,
        search=("last_name", "first_name", "organization__name"),
        order=("last_name", "first_name", "id"), context=_owner_context,
        params=("partnership",),
    )
)  # fmt: skip
