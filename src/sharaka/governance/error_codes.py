from __future__ import annotations

from enum import StrEnum


class GovernanceErrorCode(StrEnum):
    BOARD_EXISTS = "board_exists"
    BOARD_MISSING = "board_missing"
    TEMPLATE_UNKNOWN = "template_unknown"
    COLLEGE_UNKNOWN = "college_unknown"
    COLLEGE_DUPLICATE = "college_duplicate"
    COLLEGE_IN_USE = "college_in_use"
    ORGANIZATION_NOT_PARTY = "organization_not_party"
    WRONG_PARTNERSHIP = "wrong_partnership"
    SEAT_ADVISORY_VOTE = "seat_advisory_vote"
    SEAT_WITHOUT_ORGANIZATION = "seat_without_organization"
    SEAT_ABOLISHED = "seat_abolished"
    SEAT_OCCUPIED = "seat_occupied"
    MANDATE_OVERLAP = "mandate_overlap"
    MANDATE_OUTSIDE_SEAT = "mandate_outside_seat"
    MANDATE_ALREADY_ENDED = "mandate_already_ended"
    MANDATE_END_BEFORE_START = "mandate_end_before_start"
    PERSON_ALREADY_SEATED = "person_already_seated"
    OFFICER_NOT_VOTING = "officer_not_voting"
    OFFICER_OUTSIDE_MANDATE = "officer_outside_mandate"
    OFFICER_ROLE_TAKEN = "officer_role_taken"
    OFFICER_ALREADY_ENDED = "officer_already_ended"
    RULES_OWNED_BY_CONVENTION = "rules_owned_by_convention"
    COMPOSITION_BLOCKED = "composition_blocked"
    COMPOSITION_UNCHANGED = "composition_unchanged"
    POWER_LIMIT = "power_limit"
