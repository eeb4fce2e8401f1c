"""What governance needs from the apps above it (``core.ports``).

- ``convention_rules``: the rules the convention version in force on a date sets, or
  ``None`` (provided by ``conventions``); ``selectors.rules_in_force_get`` falls back to the
  interim settings then.
- ``contribution_shares``: each organisation's share of the contributions, or ``None``
  while the partnership has none (provided by ``finance``), shown beside seats and power.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from typing import Protocol

from sharaka.core.ports import Port
from sharaka.governance.rules_in_force import RulesInForce
from sharaka.partnerships.models import Partnership


class ConventionRulesSource(Protocol):
    def __call__(self, *, partnership: Partnership, at: date) -> RulesInForce | None: ...


class ContributionSharesSource(Protocol):
    def __call__(self, partnership: Partnership) -> dict[int, Fraction] | None: ...


convention_rules: Port[ConventionRulesSource] = Port("governance: rules of the convention")
contribution_shares: Port[ContributionSharesSource] = Port("governance: contribution shares")
