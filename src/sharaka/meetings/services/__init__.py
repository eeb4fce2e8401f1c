"""Meeting writes: lifecycle, agenda, board pack, attendance, conflicts, motions, ballots,
decisions, minutes, signatures and errata — one module per concern:

``meeting``     meetings and their convocation, the session, a second convocation
``agenda``      the agenda and the board pack
``attendance``  the roll call and conflicts of interest
``votes``       motions, ballots, the close of a vote, decisions, appointments
``minutes``     minutes, signatures, publication, errata

Every service checks permission first (``meetings.access``), locks what it changes, checks
what SQL cannot state (with the pure rules of ``meetings.rules`` and the governance rules
engine), then saves. Lifecycle steps go through ``common._transition``, the one place that
applies the transition table and records who moved the meeting, and when.

``at`` parameters (keyword-only, default: now) exist for data imports, the demo and tests;
the pages and the API never pass them. The pages, the API, the CLI and the demo import the
services from here (``from sharaka.meetings import services``).
"""

from __future__ import annotations

from sharaka.core.types import Actor
from sharaka.meetings.services.agenda import (
    document_add,
    item_add,
    item_move,
    item_remove,
    item_update,
)
from sharaka.meetings.services.attendance import (
    AttendanceInput,
    attendance_update,
    recusal_declare,
)
from sharaka.meetings.services.common import ITEM_FIELDS, LANGS, MEETING_FIELDS
from sharaka.meetings.services.meeting import (
    meeting_convene,
    meeting_create,
    meeting_open,
    meeting_reconvene,
    meeting_remind,
    meeting_update,
)
from sharaka.meetings.services.minutes import (
    erratum_add,
    meeting_publish,
    minutes_draft,
    minutes_sign,
    minutes_update,
)
from sharaka.meetings.services.votes import (
    CloseResult,
    ballot_cast,
    ballot_record,
    ballots_record,
    decision_apply_appointment,
    decision_require,
    motion_close,
    motion_next_round,
    motion_open,
)

__all__ = [
    "ITEM_FIELDS",
    "LANGS",
    "MEETING_FIELDS",
    "Actor",
    "AttendanceInput",
    "CloseResult",
    "attendance_update",
    "ballot_cast",
    "ballot_record",
    "ballots_record",
    "decision_apply_appointment",
    "decision_require",
    "document_add",
    "erratum_add",
    "item_add",
    "item_move",
    "item_remove",
    "item_update",
    "meeting_convene",
    "meeting_create",
    "meeting_open",
    "meeting_publish",
    "meeting_reconvene",
    "meeting_remind",
    "meeting_update",
    "minutes_draft",
    "minutes_sign",
    "minutes_update",
    "motion_close",
    "motion_next_round",
    "motion_open",
    "recusal_declare",
]
