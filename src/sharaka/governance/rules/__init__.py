"""Pure governance rules (no Django): decision rules, quorum, board balance, voting power.

The web application maps its models to the values in :mod:`.values` and calls
:func:`tally`, :func:`power_weighted`, :func:`power_board` and :func:`balance`; the
command line (:mod:`.cli`) is a thin JSON shell over the same functions.
"""

from __future__ import annotations

from sharaka.governance.rules.balance import balance
from sharaka.governance.rules.parse import (
    parse_balance_input,
    parse_power_input,
    parse_tally_input,
    to_json,
)
from sharaka.governance.rules.power import power_board, power_weighted
from sharaka.governance.rules.tally import tally
from sharaka.governance.rules.values import (
    Attendance,
    BalanceReport,
    Base,
    Bloc,
    CollegeRule,
    CollegesRequired,
    Fallback,
    Finding,
    Gender,
    Member,
    Method,
    Policy,
    PowerResult,
    Quorum,
    Reason,
    Rule,
    RulesInputError,
    RulesLimitError,
    TallyOutcome,
    TieBreak,
    Vote,
)

__all__ = [
    "Attendance",
    "BalanceReport",
    "Base",
    "Bloc",
    "CollegeRule",
    "CollegesRequired",
    "Fallback",
    "Finding",
    "Gender",
    "Member",
    "Method",
    "Policy",
    "PowerResult",
    "Quorum",
    "Reason",
    "Rule",
    "RulesInputError",
    "RulesLimitError",
    "TallyOutcome",
    "TieBreak",
    "Vote",
    "balance",
    "parse_balance_input",
    "parse_power_input",
    "parse_tally_input",
    "power_board",
    "power_weighted",
    "tally",
    "to_json",
]
