"""The bridge to the pure governance rules engine (``sharaka.governance.rules``).

The convention's clauses are mapped to the engine's JSON shapes (``conventions.rules``);
this module turns them into the engine's typed values and runs its checks.
"""

from __future__ import annotations

from typing import Any

from sharaka.governance.rules.balance import balance
from sharaka.governance.rules.parse import parse_members, parse_policy, parse_rule


def balance_findings(
    members: list[dict[str, Any]], rule: dict[str, Any], policy: dict[str, Any], lang: str
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(violations, warnings) of the board composition, each ``(code, message)`` in ``lang``.

    Raises ``ValueError`` (the engine's ``RulesInputError``) when the rule or the members
    are not valid input for the engine.
    """
    report = balance(parse_members(members), parse_rule(rule), parse_policy(policy), lang)
    return (
        [(f.code, f.message) for f in report.violations],
        [(f.code, f.message) for f in report.warnings],
    )


def build_rule(rule: dict[str, Any]) -> Any:
    return parse_rule(rule)


def build_policy(policy: dict[str, Any]) -> Any:
    return parse_policy(policy)
