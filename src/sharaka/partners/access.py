"""Who reads and changes admissibility files: the one policy (``core.access``), asked of
the file's authority.

An authority's officers (and the platform admin) hold ``ADMISSIBILITY_*`` over that
authority's files only (``can_on_organization``); an officer of another authority, a
member of the association and the public hold nothing. Refusing to read answers 404, so
that nobody learns that a file exists elsewhere (ADR 0003).
"""

from __future__ import annotations

from sharaka.core.access import Capabilities, Perm, can_on_organization
from sharaka.core.errors import AccessDenied, NotFound
from sharaka.core.types import Actor

PERMS = (Perm.ADMISSIBILITY_VIEW, Perm.ADMISSIBILITY_CHANGE, Perm.ADMISSIBILITY_DECIDE)


def capabilities(user: Actor | None, authority_id: int) -> Capabilities:
    """The admissibility rights of ``user`` over the files of one authority."""
    return Capabilities(
        frozenset(perm for perm in PERMS if can_on_organization(user, perm, authority_id))
    )


def require(user: Actor | None, perm: Perm, authority_id: int) -> None:
    """``NotFound`` unless ``user`` reads that authority's files, ``AccessDenied`` unless
    they also hold ``perm``."""
    if not can_on_organization(user, Perm.ADMISSIBILITY_VIEW, authority_id):
        raise NotFound()
    if not can_on_organization(user, perm, authority_id):
        raise AccessDenied()
