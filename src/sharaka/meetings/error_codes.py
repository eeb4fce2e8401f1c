from __future__ import annotations

from enum import StrEnum


class MeetingErrorCode(StrEnum):
    BOARD_MISSING = "board_missing"
    TRANSITION_NOT_ALLOWED = "transition_not_allowed"
    NOTICE_TOO_SHORT = "notice_too_short"
    PLACE_MISSING = "place_missing"
    MEETING_NOT_DUE = "meeting_not_due"
    AGENDA_EMPTY = "agenda_empty"
    AGENDA_FROZEN = "agenda_frozen"
    DOCUMENTS_FROZEN = "documents_frozen"
    UPLOAD_REFUSED = "upload_refused"
    MINUTES_TO_APPROVE_INVALID = "minutes_to_approve_invalid"
    ATTENDANCE_CLOSED = "attendance_closed"
    ATTENDANCE_INVALID = "attendance_invalid"
    NOT_A_MEMBER = "not_a_member"
    NOT_IN_SESSION = "not_in_session"
    ITEM_NOT_VOTING = "item_not_voting"
    QUORUM_NOT_MET = "quorum_not_met"
    MOTION_OPEN = "motion_open"
    MOTION_ALREADY_OPEN = "motion_already_open"
    MOTION_CLOSED = "motion_closed"
    MOTION_ALREADY_DECIDED = "motion_already_decided"
    ROUND_NOT_ALLOWED = "round_not_allowed"
    CONFLICT_ALREADY_DECLARED = "conflict_already_declared"
    CONFLICT_AFTER_VOTE = "conflict_after_vote"
    NOT_A_VOTING_MEMBER = "not_a_voting_member"
    RECUSED = "recused"
    ABSENT = "absent"
    REPRESENTED = "represented"
    ALREADY_VOTED = "already_voted"
    MODE_FORBIDS = "mode_forbids"
    SECOND_CONVOCATION_NOT_ALLOWED = "second_convocation_not_allowed"
    MINUTES_SIGNED = "minutes_signed"
    MINUTES_NOT_SIGNED = "minutes_not_signed"
    ALREADY_SIGNED = "already_signed"
    NO_OFFICER = "no_officer"
    ITEM_ASSOCIATION = "item_association"
    NOT_THE_OFFICER = "not_the_officer"
    APPOINTMENT_INVALID = "appointment_invalid"
    APPOINTMENT_ALREADY_APPLIED = "appointment_already_applied"
    IMMUTABLE = "immutable"
    CHAIN_BROKEN = "chain_broken"


class DecisionUseErrorCode(StrEnum):
    """Why a decision cannot ground an act of another app (a plan adopted, a delegation)."""

    OTHER_PARTNERSHIP = "decision_other_partnership"
    WRONG_KIND = "decision_wrong_kind"
