from __future__ import annotations

from enum import StrEnum


class StructureErrorCode(StrEnum):
    STRUCTURE_MISSING = "structure_missing"
    TIME_SHARE_EXCEEDED = "time_share_exceeded"
    DATES_ORDER = "dates_order"
    ORIGIN_NOT_PARTY = "origin_not_party"
    REPORTS_TO_OTHER = "reports_to_other_structure"
    REPORTS_TO_SELF = "reports_to_self"
    DELEGATE_NOT_PARTY = "delegate_not_party"
    DELEGATE_IS_LEAD = "delegate_is_lead"
    ACTIVITY_OTHER_PARTNERSHIP = "activity_other_partnership"
    DELEGATION_EMPTY = "delegation_empty"
    DOCUMENT_TYPE = "document_type"
    DOCUMENT_SIZE = "document_size"
    DOCUMENT_EMPTY = "document_empty"
