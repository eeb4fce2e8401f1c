from __future__ import annotations

from enum import StrEnum


class ConventionErrorCode(StrEnum):
    CONVENTION_EXISTS = "convention_exists"
    CONVENTION_MISSING = "convention_missing"
    VERSION_LOCKED = "version_locked"
    TRANSITION_NOT_ALLOWED = "transition_not_allowed"
    INCOMPLETE = "convention_incomplete"
    NO_SIGNATORY = "no_signatory"
    EFFECTIVE_DATE_REQUIRED = "effective_date_required"
    EFFECTIVE_DATE_ORDER = "effective_date_order"
    AMENDMENT_NEEDS_VERSION_IN_FORCE = "amendment_needs_version_in_force"
    OPEN_DRAFT_EXISTS = "open_draft_exists"
    CLAUSE_UNKNOWN = "clause_unknown"
    CLAUSE_DUPLICATE = "clause_duplicate"
    SIGNATORY_DUPLICATE = "signatory_duplicate"
    SIGNED_COPY_TYPE = "signed_copy_type"
    SIGNED_COPY_SIZE = "signed_copy_size"
    SIGNED_COPY_NOT_SIGNED = "signed_copy_not_signed"
    RENDER_FORMAT = "render_format"
    RENDER_LANGUAGE = "render_language"
    DELIBERATION_NOT_PUBLIC = "deliberation_not_public"
    DELIBERATION_VERSION = "deliberation_version"
    DELIBERATION_EXISTS = "deliberation_exists"
    DELIBERATION_DATES = "deliberation_dates"
    DELIBERATION_FOLLOW_UP = "deliberation_follow_up"
    DELIBERATION_VISA = "deliberation_visa"
    DELIBERATION_DOCUMENT_TYPE = "deliberation_document_type"
    DELIBERATION_DOCUMENT_SIZE = "deliberation_document_size"
    DELIBERATION_REQUIRED = "deliberation_required"
    DELIBERATIONS_INCOMPLETE = "deliberations_incomplete"
