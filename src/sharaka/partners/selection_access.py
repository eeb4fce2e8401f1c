"""Who sees and records the selection of a partnership's partners, and its calls for
applications: the one policy (``core.access``) asked of the partnership's lead authority.

Its officers (and the platform admin) read the selection page (``ADMISSIBILITY_VIEW``),
record choices and open calls (``ADMISSIBILITY_DECIDE``); a terminated partnership is
read-only. Anyone else gets 404 (ADR 0003). Partner profiles are read and kept by any
authority's officers (``ADMISSIBILITY_VIEW`` / ``_CHANGE`` on their own authority): an
organisation's competences are the same for every authority.
"""

from __future__ import annotations

from sharaka.core.access import (
    Capabilities,
    Perm,
    can_on_organization,
    is_read_only,
    require_open,
)
from sharaka.core.errors import AccessDenied, NotFound
from sharaka.core.types import Actor
from sharaka.partners import access
from sharaka.partnerships.models import Partnership

WRITES = frozenset({Perm.ADMISSIBILITY_CHANGE, Perm.ADMISSIBILITY_DECIDE})


def capabilities(user: Actor | None, partnership: Partnership) -> Capabilities:
    perms = access.capabilities(user, partnership.lead_authority_id).perms
    if is_read_only(partnership):
        perms = perms - WRITES
    return Capabilities(perms)


def require(user: Actor | None, perm: Perm, partnership: Partnership) -> None:
    """``NotFound`` unless ``user`` reads the selection of ``partnership``,
    ``AccessDenied`` unless they also hold ``perm`` (and it is not terminated, for a
    write)."""
    access.require(user, perm, partnership.lead_authority_id)
    if perm in WRITES:
        require_open(partnership)


def profile_capabilities(user: Actor | None) -> Capabilities:
    """The rights of ``user`` over partner profiles: those they hold on the files of their
    own authority (the admin: all)."""
    return access.capabilities(user, getattr(user, "organization_id", None) or 0)


def require_profiles(user: Actor | None, perm: Perm) -> None:
    """``NotFound`` unless ``user`` reads partner profiles, ``AccessDenied`` unless they
    also hold ``perm``."""
    organization_id = getattr(user, "organization_id", None) or 0
    if not can_on_organization(user, Perm.ADMISSIBILITY_VIEW, organization_id):
        raise NotFound()
    if not can_on_organization(user, perm, organization_id):
        raise AccessDenied()
