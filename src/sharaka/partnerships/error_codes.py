from __future__ import annotations

from enum import StrEnum


class PartnershipErrorCode(StrEnum):
    TRANSITION_NOT_ALLOWED = "transition_not_allowed"
    LEAD_NOT_AUTHORITY = "lead_not_authority"
    LEAD_OUTSIDE_OFFICER_AUTHORITY = "lead_outside_officer_authority"
    PARTY_DUPLICATE = "party_duplicate"
    LEAD_PARTY_PROTECTED = "lead_party_protected"
    ROLE_DUPLICATE = "role_duplicate"
    FINAL_STATUS = "final_status"
    CONDITIONS_NOT_MET = "conditions_not_met"
    PARTNERSHIP_TERMINATED = "partnership_terminated"
