"""Board writes: settings, board, colleges, seats, mandates, officers, composition changes.

Every service checks permission first (``core.access.require``), locks what it changes,
checks the invariant that SQL cannot state, then saves. A service that receives a seat,
mandate or officer also receives the ``board`` it acts on and refuses an object of
another board (``wrong_partnership``): permission is checked on that board's partnership.

By concern: ``settings`` (the interim rules), ``board`` (board, colleges, seats,
composition changes), ``members`` (mandates and officers); ``common`` holds what they
share. Every public name is importable from here.
"""

from __future__ import annotations

from sharaka.governance.services.board import (
    SEAT_FIELDS,
    board_composition_apply,
    board_create,
    board_simulation_apply,
    college_create,
    college_delete,
    college_update,
    seat_abolish,
    seat_create,
    seat_states,
    seat_update,
)
from sharaka.governance.services.members import (
    mandate_create,
    mandate_end,
    officer_appoint,
    officer_end,
)
from sharaka.governance.services.settings import (
    SETTINGS_FIELDS,
    governance_settings_ensure,
    governance_settings_update,
)

__all__ = [
    "SEAT_FIELDS",
    "SETTINGS_FIELDS",
    "board_composition_apply",
    "board_create",
    "board_simulation_apply",
    "college_create",
    "college_delete",
    "college_update",
    "governance_settings_ensure",
    "governance_settings_update",
    "mandate_create",
    "mandate_end",
    "officer_appoint",
    "officer_end",
    "seat_abolish",
    "seat_create",
    "seat_states",
    "seat_update",
]
