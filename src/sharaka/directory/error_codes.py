from __future__ import annotations

from enum import StrEnum


class DirectoryErrorCode(StrEnum):
    ORGANIZATION_MOVE_DENIED = "person_organization_move_denied"
