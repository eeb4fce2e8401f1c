"""The associations an officer may open an admissibility file for (``core.lookups``, issue
19): those of the directory without a file with that authority yet, searched as the officer
types. Only someone who may open files for the authority searches them (``partners.access``:
404 to anyone who does not read its files, 403 to a reader who may not change them)."""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import QuerySet

from sharaka.core.access import Perm
from sharaka.core.errors import NotFound
from sharaka.core.lookups import Lookup, register
from sharaka.core.types import Actor
from sharaka.directory.lookups import organization_context
from sharaka.directory.models import Organization, OrganizationKind
from sharaka.partners import access, selectors


def _associations(user: Actor | None, params: Mapping[str, str]) -> QuerySet[Organization]:
    authority = params.get("authority", "")
    if not authority.isdigit() or len(authority) > 18:
        raise NotFound()
    access.require(user, Perm.ADMISSIBILITY_CHANGE, int(authority))
    return selectors.association_choices(authority_id=int(authority))


ASSOCIATIONS = register(
    Lookup(
        name="associations", model=Organization, scope=_associations,
        search=("name", "short_name", "city"), order=("name", "id"),
        context=organization_context, params=("authority",),
    )
)  # fmt: skip


def _any_association(user: Actor | None, params: Mapping[str, str]) -> QuerySet[Organization]:
    authority = params.get("authority", "")
    if not authority.isdigit() or len(authority) > 18:
        raise NotFound()
    access.require(user, Perm.ADMISSIBILITY_CHANGE, int(authority))
    return Organization.objects.filter(kind=OrganizationKind.ASSOCIATION)


#: The associations an officer records a grant to (the grants register, ADR 0030).
GRANT_ASSOCIATIONS = register(
    Lookup(
        name="grant_associations", model=Organization, scope=_any_association,
        search=("name", "short_name", "city"), order=("name", "id"),
        context=organization_context, params=("authority",),
    )
)  # fmt: skip
