"""Meetings and deliberations (M5, M6, M15): meetings, agenda, board pack, attendance,
conflicts of interest, motions, ballots, decisions, minutes, signatures and errata.

One module per concern — meetings and agenda (``meetings``), attendance and votes
(``votes``), decisions and minutes (``decisions``), the hash chain (``chain``) — and every
model importable from here, as before (``from sharaka.meetings.models import Motion``).

Records that must never be lost or silently changed — ballots, closed motions, decisions,
signed minutes, their signatures and errata, the chain's links — are ``core.immutable``
models: ``save()``, ``delete()`` and their querysets refuse the change with the code
``immutable`` (the services refuse first, with a more precise message). Closed motions (with
their ballots), decisions, signed minutes and errata join one hash chain (``ChainLink``),
checked by ``sharaka verify``.
"""

from sharaka.meetings.models.chain import ChainedRecord, ChainHead, ChainLink
from sharaka.meetings.models.choices import (
    ChainRecordType,
    Choice,
    DecisionKindChoice,
    ItemKindChoice,
    MeetingKind,
    MeetingStatusChoice,
    MinutesStatus,
    MotionStatus,
    NoticeKind,
    NoticeState,
    PresenceChoice,
    SignatureRole,
    VotingModeChoice,
)
from sharaka.meetings.models.decisions import Decision, Erratum, Minutes, MinutesSignature
from sharaka.meetings.models.meetings import (
    AgendaItem,
    BoardDocument,
    Meeting,
    MeetingNotice,
    MeetingTransition,
    _document_path,
)
from sharaka.meetings.models.votes import Attendance, Ballot, Motion, Recusal, SecretChoice

__all__ = [
    "AgendaItem",
    "Attendance",
    "Ballot",
    "BoardDocument",
    "ChainHead",
    "ChainLink",
    "ChainRecordType",
    "ChainedRecord",
    "Choice",
    "Decision",
    "DecisionKindChoice",
    "Erratum",
    "ItemKindChoice",
    "Meeting",
    "MeetingKind",
    "MeetingNotice",
    "MeetingStatusChoice",
    "MeetingTransition",
    "Minutes",
    "MinutesSignature",
    "MinutesStatus",
    "Motion",
    "MotionStatus",
    "NoticeKind",
    "NoticeState",
    "PresenceChoice",
    "Recusal",
    "SecretChoice",
    "SignatureRole",
    "VotingModeChoice",
    "_document_path",
]
