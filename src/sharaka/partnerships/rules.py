"""The partnership lifecycle: which status may follow which. Pure, no Django import.

    draft -> negotiation -> active -> terminating -> terminated
                            active <-> suspended

A negotiation may also fall back to draft, and a suspended partnership may go straight
into termination. Everything else is refused. This table is the only place that says so.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    DRAFT = "draft"
    NEGOTIATION = "negotiation"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    TERMINATING = "terminating"
    TERMINATED = "terminated"


TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.DRAFT: frozenset({Status.NEGOTIATION}),
    Status.NEGOTIATION: frozenset({Status.ACTIVE, Status.DRAFT}),
    Status.ACTIVE: frozenset({Status.SUSPENDED, Status.TERMINATING}),
    Status.SUSPENDED: frozenset({Status.ACTIVE, Status.TERMINATING}),
    Status.TERMINATING: frozenset({Status.TERMINATED}),
    Status.TERMINATED: frozenset(),
}

#: Statuses in which a partnership is shown on the public portal.
PUBLISHED = frozenset({Status.ACTIVE, Status.SUSPENDED, Status.TERMINATING, Status.TERMINATED})


def allowed_next(current: Status) -> frozenset[Status]:
    return TRANSITIONS[current]


def is_allowed(current: Status, target: Status) -> bool:
    return target in TRANSITIONS[current]
