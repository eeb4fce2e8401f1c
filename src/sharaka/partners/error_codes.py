from __future__ import annotations

from enum import StrEnum


class PartnersErrorCode(StrEnum):
    NOT_ASSOCIATION = "not_association"
    NOT_AUTHORITY = "not_authority"
    FILE_EXISTS = "file_exists"
    NO_CRITERIA = "no_criteria"
    CRITERION_OTHER_SET = "criterion_other_set"
    DOCUMENT_REQUIRED = "document_required"
    DOCUMENT_TYPE = "document_type"
    DOCUMENT_SIZE = "document_size"
    DOCUMENT_EMPTY = "document_empty"
    VALUE_REQUIRED = "value_required"
    SCORE_RANGE = "score_range"
    DATES_ORDER = "dates_order"
    CHECK_STATUS = "check_status"
    COMMENT_REQUIRED = "comment_required"
    DECISION_VALUE = "decision_value"
    REASON_REQUIRED = "reason_required"
    DECLARATION_FROZEN = "declaration_frozen"
    NO_CONFLICT = "no_conflict"
    ALREADY_DECLARED = "already_declared"
    TEXT_REQUIRED = "text_required"
    AMOUNT_POSITIVE = "amount_positive"
    YEAR_RANGE = "year_range"
    PURPOSE_REQUIRED = "purpose_required"
    TERM_OPEN = "term_open"
    TERM_ENDED = "term_ended"
