"""The governance rules a partnership applies at a date: one typed value, two sources.

Until a convention is in force, the rules come from the partnership's interim governance
settings (``governance.GovernanceSettings``, with sensible defaults). Once a convention
version is in force, its clause parameters are the rules (``conventions.selectors``).
``governance.selectors.rules_in_force_get`` is the one place that decides which applies;
boards, meetings, planning and finance all read the rules through it.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sharaka.governance.rules.values import Policy, Rule


@dataclass(frozen=True)
class RulesInForce:
    decision_rule: Rule  # method, threshold, base, quorum, proxies, tie break, colleges, fallback
    balance_policy: Policy  # max seat share, women share, required colleges, max non-voting...
    notice_period_days: int  # minimum days between convocation and meeting
    second_convocation_quorum: Fraction | None  # quorum of a reconvened meeting; None: same
    gender_target: Fraction  # women's share target for board and staff (M12), default 1/3
    expense_tolerance: Fraction  # line overrun allowed before a board decision, default 1/10
    plan_adoption_deadline_days: int | None  # days after entry into force to adopt the plan
    audit_frequency_months: int | None
    evaluation_frequency_months: int | None
    source: str  # "settings" or "convention:<version id>"
    source_label: str  # human-readable, e.g. "Convention, avenant n°1 (en vigueur)"
