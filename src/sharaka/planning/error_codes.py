from __future__ import annotations

from enum import StrEnum


class PlanningErrorCode(StrEnum):
    VERSION_FROZEN = "plan_version_frozen"
    VERSION_NOT_DRAFT = "plan_version_not_draft"
    VERSION_NOT_ADOPTED = "plan_version_not_adopted"
    VERSION_EMPTY = "plan_version_empty"
    DRAFT_EXISTS = "plan_draft_exists"
    DECISION_ALREADY_USED = "decision_already_used"
    DECISION_BEFORE_IN_FORCE = "decision_before_in_force"
    PERIOD_OVERLAP = "plan_period_overlap"
    PERIOD_LOCKED = "plan_period_locked"
    PERIOD_EXCLUDES_ACTIVITY = "plan_period_excludes_activity"
    CODE_DUPLICATE = "activity_code_duplicate"
    CODE_INVALID = "activity_code_invalid"
    DATES_OUTSIDE_PERIOD = "activity_dates_outside_period"
    OBJECTIVE_OTHER_VERSION = "objective_other_version"
    OBJECTIVE_NOT_EMPTY = "objective_not_empty"
    RESPONSIBLE_BOTH = "activity_responsible_both"
    RESPONSIBLE_NOT_PARTY = "activity_responsible_not_party"
    YEAR_OUTSIDE_PERIOD = "budget_year_outside_period"
    LINE_DUPLICATE = "budget_line_duplicate"
