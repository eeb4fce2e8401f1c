"""Meeting rights: the one policy (``core.access.POLICY``) with the board's own officers.

``POLICY`` grants ``meeting.manage`` and ``ballot.record`` to administrators, authority
officers and coordinators, and says in its ``BOARD_CHAIR`` and ``BOARD_SECRETARY`` rows what
the chair and the secretary of the board may do on a meeting of their board, whatever their
per-partnership grant, as long as they see the partnership. An officer role is board data,
not a grant: this module reads which officer roles the user's person holds on the meeting's
board on the meeting's date and supplies them to ``core.access`` (``officer_roles=``). No
other table says who may do what.

Query cost: the user's grants (one query, cached on the user object), and the officer roles
(one query) only when the grant alone does not already give every officer right.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol

from django.db.models import Q

from sharaka.core.access import (
    OFFICER_ROLES,
    POLICY,
    WRITE_PERMS,
    Capabilities,
    PartnershipLike,
    Perm,
    Role,
    capabilities,
    permissions_for,
    require,
    require_open,
)
from sharaka.core.errors import AccessDenied
from sharaka.governance.models import Officer, OfficerRole

#: The board's officer roles that are roles of the policy.
POLICY_ROLE_OF_OFFICER: dict[str, Role] = {
    OfficerRole.CHAIR: Role.BOARD_CHAIR,
    OfficerRole.SECRETARY: Role.BOARD_SECRETARY,
}

#: Everything an officer role can add to a grant (read from ``POLICY``).
OFFICER_PERMS: frozenset[Perm] = frozenset().union(*(POLICY[role] for role in OFFICER_ROLES))


class MeetingLike(Protocol):
    """What the rights on a meeting depend on (a ``Meeting``, saved or not yet)."""

    @property
    def partnership(self) -> Any: ...

    @property
    def board_id(self) -> int: ...

    @property
    def day(self) -> date: ...


def officer_roles(user: Any, *, board_id: int, day: date) -> frozenset[Role]:
    """The policy roles (``BOARD_CHAIR``, ``BOARD_SECRETARY``) that ``user``'s person holds
    as an officer of the board on ``day`` (one query)."""
    person_id = getattr(user, "person_id", None)
    if not getattr(user, "is_authenticated", False) or person_id is None:
        return frozenset()
    roles = (
        Officer.objects.filter(
            board_id=board_id,
            mandate__person_id=person_id,
            role__in=list(POLICY_ROLE_OF_OFFICER),
            start_date__lte=day,
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .values_list("role", flat=True)
    )
    return frozenset(POLICY_ROLE_OF_OFFICER[role] for role in roles)


def board_capabilities(
    user: Any, partnership: PartnershipLike, *, board_id: int | None, day: date
) -> Capabilities:
    """What ``user`` may do on the meetings of ``partnership``'s board on ``day``."""
    perms = permissions_for(user, partnership)
    if board_id is None or Perm.MEETING_VIEW not in perms or perms >= OFFICER_PERMS:
        return Capabilities(perms)
    roles = officer_roles(user, board_id=board_id, day=day)
    return capabilities(user, partnership, officer_roles=roles) if roles else Capabilities(perms)


def meeting_capabilities(user: Any, meeting: MeetingLike) -> Capabilities:
    """What ``user`` may do on ``meeting``: the page's buttons (``{{ can.meeting_manage }}``)
    and the services' checks come from here alike."""
    return board_capabilities(user, meeting.partnership, board_id=meeting.board_id, day=meeting.day)


def meeting_can(user: Any, perm: Perm, meeting: MeetingLike) -> bool:
    """``perm`` on ``meeting``; the officer roles are read only when they could matter."""
    perms = permissions_for(user, meeting.partnership)
    if perm in perms or perm not in OFFICER_PERMS:
        return perm in perms
    return perm in meeting_capabilities(user, meeting)


def meeting_require(user: Any, perm: Perm, meeting: MeetingLike) -> None:
    """Raise ``NotFound`` (cannot see the partnership) or ``AccessDenied``."""
    require(user, Perm.MEETING_VIEW, meeting.partnership)
    if not meeting_can(user, perm, meeting):
        if perm in WRITE_PERMS:
            require_open(meeting.partnership)  # a terminated partnership says so
        raise AccessDenied()
