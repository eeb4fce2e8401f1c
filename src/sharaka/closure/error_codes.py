from __future__ import annotations

from enum import StrEnum


class ClosureErrorCode(StrEnum):
    NOT_TERMINABLE = "closure_not_terminable"
    ALREADY_STARTED = "closure_already_started"
    NOT_WINDING_DOWN = "closure_not_winding_down"
    DECISION_REQUIRED = "closure_decision_required"
    DATE_REQUIRED = "closure_date_required"
    ITEM_INVALID = "closure_item_invalid"
    ITEM_REOPENED = "closure_item_reopened"
    ACCOUNTS_APPROVED = "closure_accounts_approved"
    ACCOUNTS_NO_KEY = "closure_accounts_no_key"
    DOCUMENT_TYPE = "closure_document_type"
    DOCUMENT_SIZE = "closure_document_size"
    RECORD_FROZEN = "closure_record_frozen"
