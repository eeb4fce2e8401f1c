"""Meeting reads. Query counts are fixed (a meeting page costs the same with 5 or 40 members).

One module per concern: ``meetings`` (meetings, agenda, documents, minutes), ``roll`` (the
board on the meeting's date, attendance, quorum and tally), ``decisions`` (the register and
the public portal). The pages, the API, the services and the tests import them from here.
"""

from __future__ import annotations

from sharaka.meetings.selectors.decisions import (
    ChainHeadView,
    appointed_officers,
    chain_head_get,
    decision_get,
    decision_list,
    decision_years,
    public_meeting_get,
    public_meetings,
)
from sharaka.meetings.selectors.meetings import (
    document_get,
    documents_of,
    item_get,
    items_of,
    meeting_by_id,
    meeting_get,
    meeting_list,
    minutes_of,
    motion_by_id,
    motion_get,
    partnership_meetings_get,
    previous_minutes_choices,
    today,
)
from sharaka.meetings.selectors.roll import (
    EngineInputs,
    MemberRow,
    Roll,
    ballot_counts,
    ballots_of,
    engine_inputs,
    member_rows_for_user,
    quorum_get,
    recused_mandates_of,
    roll_get,
    run_tally,
)

__all__ = [
    "ChainHeadView",
    "EngineInputs",
    "MemberRow",
    "Roll",
    "appointed_officers",
    "ballot_counts",
    "ballots_of",
    "chain_head_get",
    "decision_get",
    "decision_list",
    "decision_years",
    "document_get",
    "documents_of",
    "engine_inputs",
    "item_get",
    "items_of",
    "meeting_by_id",
    "meeting_get",
    "meeting_list",
    "member_rows_for_user",
    "minutes_of",
    "motion_by_id",
    "motion_get",
    "partnership_meetings_get",
    "previous_minutes_choices",
    "public_meeting_get",
    "public_meetings",
    "quorum_get",
    "recused_mandates_of",
    "roll_get",
    "run_tally",
    "today",
]
