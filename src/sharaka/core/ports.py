"""Ports: what a lower app needs from an app above it, without importing it.

An app imports only the apps below it (``docs/architecture.md``, checked by import-linter in
CI). When a lower app needs a fact that an upper app owns (governance needs the rules the
convention in force sets, and the contribution shares finance records; planning needs the
staff register and the delegations of the management structure), the lower app declares a
``Port`` typed by a ``Protocol``, and the upper app provides it from its ``AppConfig.ready``:

    # governance/ports.py (lower)
    convention_rules: Port[ConventionRulesSource] = Port("convention rules")
    # conventions/apps.py (upper), in ready()
    governance_ports.convention_rules.provide(selectors.convention_rules_get)
    # governance/selectors.py (lower), when it needs them
    ports.convention_rules.provider(partnership=partnership, at=day)

Every app is always installed, so a port nobody provides is a configuration error, reported
as such rather than answered with a silent default.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured

T = TypeVar("T")


class Port(Generic[T]):
    """One function (or object) a lower app needs; an upper app provides it."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._provider: T | None = None

    def provide(self, provider: T) -> None:
        """Called once by the upper app, from ``AppConfig.ready``."""
        self._provider = provider

    @property
    def provider(self) -> T:
        if self._provider is None:
            raise ImproperlyConfigured(
                f"Nothing provides the port {self.name!r}: is the app that owns it installed?"
            )
        return self._provider

    def __repr__(self) -> str:
        return f"<Port {self.name!r}: {self._provider!r}>"
