"""The governance rules a set of clauses puts in force, in the rules engine's shapes. Pure: no
Django import, like the whole package."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from sharaka.conventions.catalogue import (
    BY_CODE,
    I18n,
)
from sharaka.conventions.rules.completeness import _params_of, decision_rule_json, policy_json
from sharaka.conventions.rules.text import decision_text
from sharaka.conventions.rules.values import ClauseData, parse_fraction

# ----------------------------------------------------------------------- rules in force


@dataclass(frozen=True)
class RulesJson:
    """The governance rules a set of clauses puts in force, in the rules engine's JSON
    shapes and plain numbers (``conventions.selectors`` builds ``RulesInForce`` from it)."""

    decision_rule: dict[str, Any]
    balance_policy: dict[str, Any]
    notice_period_days: int
    second_convocation_quorum: Fraction | None
    gender_target: Fraction
    expense_tolerance: Fraction
    plan_adoption_deadline_days: int | None
    audit_frequency_months: int | None
    evaluation_frequency_months: int | None
    termination: Mapping[str, Any]
    decision_text: I18n  # the decision rule in words


def rules_json(clauses: Sequence[ClauseData]) -> RulesJson:
    """Map clause parameters to the typed rules; a missing clause contributes its catalogue
    defaults (a réalisation convention has no deliberations clause, for instance)."""
    by_code: dict[str, list[ClauseData]] = {}
    for clause in clauses:
        by_code.setdefault(clause.code, []).append(clause)

    def params(code: str) -> Mapping[str, Any]:
        found = _params_of(by_code, code)
        return found if found is not None else BY_CODE[code].defaults()

    deliberations = params("deliberations")
    gender = params("gender")
    audit = params("audit")
    plan = params("action_plan")
    termination = params("termination")
    second = deliberations.get("second_convocation_quorum")
    return RulesJson(
        decision_rule=decision_rule_json(deliberations),
        balance_policy=policy_json(params("board"), gender),
        notice_period_days=int(deliberations.get("notice_days") or 0),
        second_convocation_quorum=parse_fraction(second) if second else None,
        gender_target=parse_fraction(gender.get("women_target") or "1/3"),
        expense_tolerance=parse_fraction(audit.get("expense_tolerance") or "1/10"),
        plan_adoption_deadline_days=plan.get("adoption_deadline_days"),
        audit_frequency_months=audit.get("audit_frequency_months"),
        evaluation_frequency_months=audit.get("evaluation_frequency_months"),
        decision_text=decision_text(deliberations),
        termination={k: termination.get(k) for k in (
            "notice_days", "staff_disposition", "assets_disposition", "surplus_disposition",
            "deficit_disposition", "sharing_key")},
    )  # fmt: skip
