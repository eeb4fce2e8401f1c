from __future__ import annotations

from enum import StrEnum


class CompetenceErrorCode(StrEnum):
    NOT_KEY_PERSON = "not_key_person"
    DATES_ORDER = "dates_order"
    BUDGET_LINE_OTHER = "budget_line_other_partnership"
    SESSION_NOT_PLANNED = "session_not_planned"
    SESSION_NOT_STARTED = "session_not_started"
    NO_COMPETENCE = "no_competence"
    NO_ATTENDEE = "no_attendee"
    ALREADY_PARTICIPANT = "already_participant"
