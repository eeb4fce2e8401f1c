from __future__ import annotations

from enum import StrEnum


class SelectionErrorCode(StrEnum):
    CHOICE_FROZEN = "choice_frozen"
    NOT_CANDIDATE = "not_candidate"
    REASON_REQUIRED = "choice_reason_required"
    READ_ONLY = "partnership_read_only"
    LEVEL_RANGE = "level_range"
    PROFILE_EXISTS = "profile_exists"
    EVIDENCE_REQUIRED = "profile_evidence_required"
    CALL_DATES = "call_dates"
    CALL_CLOSED = "call_closed"
    ALREADY_APPLIED = "already_applied"
    NOT_ASSOCIATION = "applicant_not_association"
    THROTTLED = "throttled"
