"""Domain errors with stable codes.

Services raise these; views turn them into a message on the page, the API into RFC 9457
problem JSON, the CLI into a one-line message and exit status 2.
"""

from __future__ import annotations

from enum import StrEnum


class CoreErrorCode(StrEnum):
    ACCESS_DENIED = "access_denied"
    NOT_FOUND = "not_found"
    INVALID = "invalid"


#: PostgreSQL states that mean "busy, try again": lock_not_available (lock_timeout),
#: query_canceled (statement_timeout), deadlock_detected, serialization_failure.
_BUSY_SQLSTATES = frozenset({"55P03", "57014", "40P01", "40001"})
_BUSY_SQLITE = ("database is locked", "database table is locked", "database is busy")


def database_busy(error: BaseException) -> bool:
    """Whether ``error`` says the database was too busy (a lock held by another writer)
    rather than that something is wrong: the same request can succeed a moment later."""
    from django.db import DatabaseError

    if not isinstance(error, DatabaseError):
        return False
    cause = error.__cause__ or error
    if getattr(cause, "sqlstate", None) in _BUSY_SQLSTATES:
        return True
    text = str(error).lower()
    return any(marker in text for marker in _BUSY_SQLITE)


class DomainError(Exception):
    """A refusal that the user can understand and act on.

    ``code`` is stable (scripts and tests rely on it); ``message`` is translated text;
    ``field`` names the input at fault when there is one.
    """

    status = 400

    def __init__(self, code: StrEnum | str, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.code = str(code)
        self.message = str(message)
        self.field = field

    def __str__(self) -> str:
        return self.message


class ValidationFailed(DomainError):
    """Input refused; ``errors`` maps each field to its messages."""

    status = 422

    def __init__(self, message: str, errors: dict[str, list[str]]) -> None:
        super().__init__(CoreErrorCode.INVALID, message)
        self.errors = errors


class AccessDenied(DomainError):
    status = 403

    def __init__(self, message: str = "") -> None:
        from django.utils.translation import gettext

        super().__init__(
            CoreErrorCode.ACCESS_DENIED, message or gettext("Vous n'avez pas accès à cette action.")
        )


class NotFound(DomainError):
    status = 404

    def __init__(self, message: str = "") -> None:
        from django.utils.translation import gettext

        super().__init__(CoreErrorCode.NOT_FOUND, message or gettext("Introuvable."))
