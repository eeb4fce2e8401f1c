"""Optional error reporting to Sentry (or a compatible service such as GlitchTip).

Off unless ``SENTRY_DSN`` is set. No personal data is sent: ``send_default_pii=False`` keeps
user names, e-mail and IP addresses, cookies and request bodies out of the reports."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured


def traces_sample_rate(environ: Mapping[str, str]) -> float:
    raw = environ.get("SENTRY_TRACES_SAMPLE_RATE", "").strip() or "0"
    try:
        rate = float(raw)
    except ValueError:
        message = f"SENTRY_TRACES_SAMPLE_RATE must be a number, not {raw!r}"
        raise ImproperlyConfigured(message) from None
    if not 0.0 <= rate <= 1.0:
        raise ImproperlyConfigured(f"SENTRY_TRACES_SAMPLE_RATE must be within 0..1, not {raw}")
    return rate


def init_from_environment(environ: Mapping[str, str]) -> bool:
    """Start the reporter when ``SENTRY_DSN`` is set; return whether it was started."""
    dsn = environ.get("SENTRY_DSN", "").strip()
    if not dsn:
        return False
    # imported only when used: the SDK costs every command's start-up otherwise
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        environment=environ.get("SENTRY_ENVIRONMENT") or None,
        traces_sample_rate=traces_sample_rate(environ),
    )
    return True
