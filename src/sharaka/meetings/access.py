"""Meeting rights: the policy table (``core.access``) plus the board's own officers.

``core.access.POLICY`` grants ``meeting.manage`` and ``ballot.record`` to administrators,
authority officers and coordinators. The chair and the secretary of the board on the
meeting's date also manage that meeting (convene, agenda, attendance, minutes), and the
secretary records show-of-hands ballots — whatever their per-partnership grant, as long as
they can see the partnership. An officer role is board data, so it is read here, from the
board, rather than stored as a grant.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q

from sharaka.core.access import Perm, can, require
from sharaka.core.errors import AccessDenied
from sharaka.governance.models import Officer, OfficerRole


def officer_roles(user: Any, *, board_id: int, day: date) -> frozenset[str]:
    """The bureau roles (chair, secretary, ...) ``user``'s person holds on the board on ``day``."""
    person_id = getattr(user, "person_id", None)
    if not getattr(user, "is_authenticated", False) or person_id is None:
        return frozenset()
    roles = (
        Officer.objects.filter(board_id=board_id, mandate__person_id=person_id)
        .filter(start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .values_list("role", flat=True)
    )
    return frozenset(roles)


def meeting_can(user: Any, perm: Perm, meeting: Any) -> bool:
    """``perm`` on ``meeting``: the policy table, or the board officer's own rights."""
    partnership = meeting.partnership
    if can(user, perm, partnership):
        return True
    if perm not in (Perm.MEETING_MANAGE, Perm.BALLOT_RECORD):
        return False
    if not can(user, Perm.MEETING_VIEW, partnership):
        return False
    roles = officer_roles(user, board_id=meeting.board_id, day=meeting.day)
    if perm is Perm.BALLOT_RECORD:
        return OfficerRole.SECRETARY in roles
    return bool(roles & {OfficerRole.CHAIR, OfficerRole.SECRETARY})


def meeting_require(user: Any, perm: Perm, meeting: Any) -> None:
    """Raise ``NotFound`` (cannot see the partnership) or ``AccessDenied``."""
    require(user, Perm.MEETING_VIEW, meeting.partnership)
    if not meeting_can(user, perm, meeting):
        raise AccessDenied()
