from __future__ import annotations

from enum import StrEnum


class EvaluationErrorCode(StrEnum):
    MEASUREMENT_FROZEN = "measurement_frozen"
    MEASUREMENT_INVALID = "measurement_invalid"
    TARGET_INVALID = "target_invalid"
    INDICATOR_INVALID = "indicator_invalid"
    ACTIVITY_OTHER_PARTNERSHIP = "activity_other_partnership"
    NOT_ENTERED = "measurement_not_entered"
    ALREADY_CORRECTED = "measurement_already_corrected"
    SAME_PERSON = "validator_is_enterer"
    DOCUMENT_TYPE = "document_type"
    DOCUMENT_SIZE = "document_size"
    DOCUMENT_EMPTY = "document_empty"
    EVALUATION_INVALID = "evaluation_invalid"
    EVALUATION_COMPLETED = "evaluation_completed"
    DECISION_OTHER_PARTNERSHIP = "decision_other_partnership"
    JUDGEMENT_INVALID = "judgement_invalid"
