"""Stable error codes of the finance app (scripts and tests rely on them)."""

from __future__ import annotations

from enum import StrEnum


class FinanceErrorCode(StrEnum):
    EXPENSE_FROZEN = "expense_frozen"
    TRANSITION = "expense_transition_not_allowed"
    OWN_EXPENSE = "expense_own_approval"
    ALREADY_REVERSED = "expense_already_reversed"
    NOT_REVERSIBLE = "expense_not_reversible"
    BAD_DOCUMENT = "expense_bad_document"
    NOT_A_PARTY = "contribution_not_a_party"
    DECISION_OTHER_PARTNERSHIP = "overrun_decision_other_partnership"
    IMPORT_INVALID = "import_invalid"
    IMPORT_FORMAT = "import_format"
    DUPLICATE_EXPENSE = "expense_duplicate"
    DUPLICATE_FILE = "import_duplicate_file"
