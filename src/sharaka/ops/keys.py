"""What makes a secret key fit for production (read by the settings and by ``sharaka serve``,
before Django is set up, so that a bad key is one clear line and not a traceback)."""

from __future__ import annotations

#: Django's own check (security.W009) asks for at least this many characters ...
MIN_LENGTH = 50
#: ... and this many different ones
MIN_UNIQUE = 5
#: the prefix of the key that ``django-admin startproject`` writes for development
INSECURE_PREFIX = "django-insecure-"

HOW_TO = "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"


def secret_key_problem(key: str | None) -> str | None:
    """One line saying why ``key`` cannot sign production sessions, or ``None`` if it can.

    Missing (the development default is a key generated into ``var/``, different on every
    machine), a development placeholder, too short or too repetitive are refused."""
    if not key or not key.strip():
        return (
            "SECRET_KEY is not set: production needs one key, the same for every web process "
            f"(make one with: {HOW_TO})"
        )
    if key.startswith(INSECURE_PREFIX):
        return f"SECRET_KEY is a development key ({INSECURE_PREFIX}...): make one with: {HOW_TO}"
    if len(key) < MIN_LENGTH or len(set(key)) < MIN_UNIQUE:
        return (
            f"SECRET_KEY is too weak: at least {MIN_LENGTH} characters, {MIN_UNIQUE} of them "
            f"different (make one with: {HOW_TO})"
        )
    return None
