"""Meeting pages. Thin: parse input, call a selector or service, render — one module per
concern (``meeting``, ``agenda``, ``votes``, ``minutes``, ``decisions``); ``urls.py``
imports the views from here.

htmx requests get a template partial only (``page.html#partial``): the attendance sheet
saves in place and the quorum panel refreshes itself; without JavaScript the same forms
post normally and get the whole page.
"""

from __future__ import annotations

from sharaka.meetings.views.agenda import (
    document_add,
    document_download,
    item_add,
    item_edit,
    item_move,
    item_remove,
)
from sharaka.meetings.views.decisions import decision_apply, decision_detail, decision_list
from sharaka.meetings.views.meeting import (
    meeting_convene,
    meeting_create,
    meeting_detail,
    meeting_edit,
    meeting_ics,
    meeting_list,
    meeting_open,
    meeting_reconvene,
    meeting_remind,
)
from sharaka.meetings.views.minutes import (
    erratum_add,
    meeting_publish,
    minutes_draft,
    minutes_edit,
    minutes_pdf,
    minutes_sign,
    minutes_view,
    public_minutes,
    public_minutes_detail,
)
from sharaka.meetings.views.votes import (
    attendance,
    ballot_cast,
    ballot_record,
    item_detail,
    motion_close,
    motion_next_round,
    motion_open,
    quorum_panel,
    recusal_declare,
)

__all__ = [
    "attendance",
    "ballot_cast",
    "ballot_record",
    "decision_apply",
    "decision_detail",
    "decision_list",
    "document_add",
    "document_download",
    "erratum_add",
    "item_add",
    "item_detail",
    "item_edit",
    "item_move",
    "item_remove",
    "meeting_convene",
    "meeting_create",
    "meeting_detail",
    "meeting_edit",
    "meeting_ics",
    "meeting_list",
    "meeting_open",
    "meeting_publish",
    "meeting_reconvene",
    "meeting_remind",
    "minutes_draft",
    "minutes_edit",
    "minutes_pdf",
    "minutes_sign",
    "minutes_view",
    "motion_close",
    "motion_next_round",
    "motion_open",
    "public_minutes",
    "public_minutes_detail",
    "quorum_panel",
    "recusal_declare",
]
