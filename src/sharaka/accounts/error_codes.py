"""Stable error codes of the accounts app (scripts and tests rely on them)."""

# ruff: noqa: S105 - codes that name token errors, not secrets

from __future__ import annotations

from enum import StrEnum


class AccountsErrorCode(StrEnum):
    TOKEN_LIFETIME = "api_token_lifetime"
    TOKEN_SCOPE = "api_token_scope"
    TOKEN_INVALID = "unauthenticated"  # absent, unknown or revoked: the API's historical code
    TOKEN_EXPIRED = "api_token_expired"
    TOKEN_READ_ONLY = "api_token_read_only"
    PASSWORD_RESET_THROTTLED = "password_reset_throttled"
