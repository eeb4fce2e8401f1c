from __future__ import annotations

from enum import StrEnum


class TransparencyErrorCode(StrEnum):
    INVALID_STEP = "request_invalid_step"
    BAD_DATE = "request_bad_date"
    MISSING = "request_missing"
    THROTTLED = "request_throttled"
    SPAM = "request_spam"
    POSTED = "decision_already_posted"
    POSTING_FROZEN = "decision_posting_frozen"
    DOCUMENT = "posting_bad_document"
    PUBLICATION_FROZEN = "publication_record_frozen"
    NO_EVIDENCE = "publication_no_evidence"
