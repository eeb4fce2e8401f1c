"""Pure convention rules: parameter validation, formatting, clause text, completeness and
consistency, differences between versions, the rules a version puts in force, content hash.

No Django import: everything here works on plain values (``ClauseData``) and the catalogue,
and is tested without a database. Messages are given in the three languages (``I18n``);
callers pick the user's language.

By concern: ``values``, ``validation``, ``text`` (formatting and clause text),
``completeness``, ``diff``, ``in_force`` (the rules a version puts in force) and
``lifecycle`` (content hash, statuses). Every name is importable from here.
"""

from __future__ import annotations

from sharaka.conventions.rules.completeness import (
    BalanceFn,
    catalogue_defaults,
    completeness,
    decision_rule_json,
    errors_only,
    members_json,
    policy_json,
)
from sharaka.conventions.rules.diff import (
    Change,
    ClauseChange,
    FieldChange,
    apply_diff,
    diff,
    field_label,
    field_value,
)
from sharaka.conventions.rules.in_force import (
    RulesJson,
    rules_json,
)
from sharaka.conventions.rules.lifecycle import (
    TRANSITIONS,
    Status,
    allowed_next,
    content_hash,
)
from sharaka.conventions.rules.text import (
    Items,
    Paragraph,
    RenderedBlock,
    Special,
    Table,
    clause_blocks,
    clause_title,
    decision_text,
    format_money,
    format_percent,
    format_value,
    join,
    list_items,
    table_cells,
)
from sharaka.conventions.rules.validation import (
    validate_params,
)
from sharaka.conventions.rules.values import (
    ClauseData,
    ParamErrors,
    Problem,
    Severity,
    fraction_text,
    parse_fraction,
)

__all__ = [
    "TRANSITIONS",
    "BalanceFn",
    "Change",
    "ClauseChange",
    "ClauseData",
    "FieldChange",
    "Items",
    "Paragraph",
    "ParamErrors",
    "Problem",
    "RenderedBlock",
    "RulesJson",
    "Severity",
    "Special",
    "Status",
    "Table",
    "allowed_next",
    "apply_diff",
    "catalogue_defaults",
    "clause_blocks",
    "clause_title",
    "completeness",
    "content_hash",
    "decision_rule_json",
    "decision_text",
    "diff",
    "errors_only",
    "field_label",
    "field_value",
    "format_money",
    "format_percent",
    "format_value",
    "fraction_text",
    "join",
    "list_items",
    "members_json",
    "parse_fraction",
    "policy_json",
    "rules_json",
    "table_cells",
    "validate_params",
]
