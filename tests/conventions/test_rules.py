"""The pure convention rules: catalogue, parameter validation, completeness, diff, mapping
to the governance rules. No database."""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sharaka.conventions import catalogue, rules
from sharaka.conventions.catalogue import PType
from sharaka.conventions.engine import balance_findings, build_policy, build_rule

ARABIC = re.compile(r"[\u0600-\u06FF]")
CONTEXT_NAMES = {"effective_date", "decision_rule", "fallback_rule"}


def clauses(kind: str = "management", **changes: dict[str, Any]) -> list[rules.ClauseData]:
    """The catalogue defaults, with some parameters changed (``None`` removes one)."""
    result = []
    for clause in rules.catalogue_defaults(kind):
        params = dict(clause.params)
        for name, value in changes.get(clause.code, {}).items():
            if value is None:
                params.pop(name, None)
            else:
                params[name] = value
        result.append(rules.ClauseData(clause.key, clause.code, clause.order, params))
    return result


def codes(problems: list[rules.Problem]) -> list[str]:
    return [p.code for p in problems if p.severity is rules.Severity.ERROR]


def check(items: list[rules.ClauseData], kind: str = "management") -> list[str]:
    return codes(rules.completeness(items, partnership_kind=kind, balance_fn=balance_findings))


# --- Catalogue ---------------------------------------------------------------------------


def test_catalogue_covers_the_base_and_management_clauses() -> None:
    base = set(catalogue.mandatory_codes("realization"))
    management = set(catalogue.mandatory_codes("management")) - base
    assert {"preamble", "parties", "object", "objectives", "duration", "commitments",
            "funding", "use_of_funds", "follow_up", "control", "accounting", "suspension",
            "amendments", "disputes", "entry_into_force"} <= base  # fmt: skip
    assert management == {"legal_framework", "board", "deliberations", "management_structure",
                          "action_plan", "audit", "termination", "communication",
                          "evaluation", "gender"}  # fmt: skip
    assert "annexes" in catalogue.BY_CODE and "annexes" not in base


@pytest.mark.parametrize("spec", catalogue.CATALOGUE, ids=lambda s: s.code)
def test_every_clause_speaks_three_languages(spec: catalogue.ClauseSpec) -> None:
    names = {p.name for p in spec.params} | CONTEXT_NAMES
    assert all(spec.title.as_dict().values())
    assert ARABIC.search(spec.title.ar)
    for block in spec.blocks:
        if block.text is None:
            continue
        texts = block.text.as_dict()
        assert all(texts.values())
        placeholders = {tuple(sorted(re.findall(r"\{([a-z_]+)\}", t))) for t in texts.values()}
        assert len(placeholders) == 1, f"{spec.code}: placeholders differ between languages"
        assert set(next(iter(placeholders))) <= names
    for param in spec.params:
        assert all(param.label.as_dict().values())
        for _code, label in param.choices:
            assert all(label.as_dict().values())


def test_legal_references_are_data_per_country() -> None:
    morocco = " ".join(catalogue.LEGAL_REFERENCES["MA"]["fr"])
    assert "113-14" in morocco and "149" in morocco and "15 novembre 1958" in morocco
    assert "2000-321" in " ".join(catalogue.LEGAL_REFERENCES["FR"]["fr"])
    for refs in catalogue.LEGAL_REFERENCES.values():
        assert len(refs["fr"]) == len(refs["ar"]) == len(refs["en"])


# --- Parameter validation ------------------------------------------------------------------


def test_validation_normalises_values() -> None:
    spec = catalogue.spec_for("deliberations")
    cleaned = rules.validate_params(spec, {"quorum": "0,5", "threshold": "66,7 %",
                                           "notice_days": "10", "code_of_conduct": "  ",
                                           "conflicts_of_interest": "Déclarer"})  # fmt: skip
    assert cleaned == {"quorum": "1/2", "threshold": "667/1000", "notice_days": 10,
                       "conflicts_of_interest": {"fr": "Déclarer"}}  # fmt: skip
    funding = rules.validate_params(catalogue.spec_for("funding"),
                                    {"total_amount": "1 200 000,5"})  # fmt: skip
    assert funding == {"total_amount": "1200000.50"}


@pytest.mark.parametrize(
    ("code", "params", "field"),
    [
        ("deliberations", {"quorum": "beaucoup"}, "quorum"),
        ("deliberations", {"notice_days": -1}, "notice_days"),
        ("deliberations", {"method": "tirage au sort"}, "method"),
        ("deliberations", {"max_proxies": True}, "max_proxies"),
        ("funding", {"total_amount": "-3"}, "total_amount"),
        ("board", {"composition": [{"organization": "A", "college": "local_public",
                                    "seats": "deux"}]}, "composition.0.seats"),
        ("board", {"composition": [{"college": "local_public", "seats": 2}]},
         "composition.0.organization"),
        ("board", {"officers": ["king"]}, "officers"),
        ("audit", {"nope": 1}, "nope"),
    ],
)  # fmt: skip
def test_validation_names_the_bad_field(code: str, params: dict[str, Any], field: str) -> None:
    with pytest.raises(rules.ParamErrors) as caught:
        rules.validate_params(catalogue.spec_for(code), params)
    assert field in caught.value.errors
    message = caught.value.errors[field][0]
    assert ARABIC.search(message.ar) and message.fr != message.en


def test_validation_message_names_the_parameter_label() -> None:
    with pytest.raises(rules.ParamErrors) as caught:
        rules.validate_params(catalogue.spec_for("deliberations"), {"quorum": "x"})
    assert caught.value.errors["quorum"][0].fr.startswith("Quorum")


def test_blank_table_rows_are_dropped() -> None:
    spec = catalogue.spec_for("board")
    cleaned = rules.validate_params(spec, {"composition": [
        {"organization": "Commune", "college": "local_public", "seats": 2, "voting": True},
        {"organization": "", "college": "", "seats": None, "voting": False},
    ]})  # fmt: skip
    assert cleaned["composition"] == [{"organization": "Commune", "college": "local_public",
                                       "seats": 2, "voting": True, "women": None}]  # fmt: skip


# --- Completeness and consistency ----------------------------------------------------------


@pytest.mark.parametrize("kind", ["management", "realization"])
def test_the_catalogue_defaults_are_complete(kind: str) -> None:
    assert check(clauses(kind), kind) == []


def test_a_missing_mandatory_clause_is_reported() -> None:
    items = [c for c in clauses() if c.code != "termination"]
    assert check(items) == ["clause_missing"]
    realization = list(clauses("realization"))
    assert check(realization, "realization") == []


@settings(max_examples=60, deadline=None)
@given(st.fractions(min_value=Fraction(1, 100), max_value=Fraction(2), max_denominator=1000))
def test_qualified_threshold_must_be_in_half_open_interval(threshold: Fraction) -> None:
    items = clauses(deliberations={"method": "qualified", "threshold": str(threshold)})
    problems = check(items)
    inside = Fraction(1, 2) < threshold <= 1
    assert ("threshold_out_of_range" in problems) is not inside


@settings(max_examples=40, deadline=None)
@given(st.fractions(min_value=Fraction(0), max_value=Fraction(3), max_denominator=1000))
def test_quorum_must_be_in_zero_one(quorum: Fraction) -> None:
    problems = check(clauses(deliberations={"quorum": str(quorum)}))
    assert ("quorum_out_of_range" in problems) is not (0 < quorum <= 1)


def test_board_composition_goes_through_the_balance_check() -> None:
    majority = [{"organization": "Commune", "college": "local_public", "seats": 5,
                 "voting": True, "women": 2},
                {"organization": "Association", "college": "associative", "seats": 2,
                 "voting": True, "women": 1}]  # fmt: skip
    assert "board_organization_majority" in check(clauses(board={"composition": majority}))
    few_women = [{"organization": "Commune", "college": "local_public", "seats": 2,
                  "voting": True, "women": 0},
                 {"organization": "Association", "college": "associative", "seats": 2,
                  "voting": True, "women": 0}]  # fmt: skip
    problems = rules.completeness(clauses(board={"composition": few_women}),
                                  balance_fn=balance_findings)  # fmt: skip
    women = [p for p in problems if p.code == "board_women_share_below_target"]
    assert women and ARABIC.search(women[0].text("ar"))


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"termination": {"staff_disposition": None}}, "termination_staff_missing"),
        ({"termination": {"assets_disposition": None}}, "termination_assets_missing"),
        ({"termination": {"surplus_disposition": None}}, "termination_surplus_missing"),
        ({"termination": {"deficit_disposition": None}}, "termination_deficit_missing"),
        ({"termination": {"sharing_key": [{"organization": "A", "share": "9/10"}]}},
         "sharing_key_total"),
        ({"termination": {"sharing_key": None}}, "sharing_key_missing"),
        ({"audit": {"audit_frequency_months": None}}, "audit_frequency_missing"),
        ({"action_plan": {"adoption_deadline_days": None}}, "action_plan_deadline_missing"),
        ({"action_plan": {"mandatory": False}}, "action_plan_not_mandatory"),
        ({"management_structure": {"structure": "project_team"}}, "director_missing"),
        ({"duration": {"renewal_years": None}}, "renewal_years_missing"),
        ({"funding": {"total_amount": "100.00", "schedule": [
            {"due": "2025", "payer": "A", "amount": "60.00"}]}}, "schedule_total_mismatch"),
        ({"gender": {"women_target": "0"}}, "quorum_out_of_range"),
        ({"object": {"object": None}}, "param_missing"),
    ],
)  # fmt: skip
def test_each_consistency_rule(changes: dict[str, dict[str, Any]], expected: str) -> None:
    assert check(clauses(**changes)) == [expected]


def test_problems_are_explained_in_three_languages() -> None:
    problems = rules.completeness(clauses(audit={"audit_frequency_months": None}),
                                  balance_fn=balance_findings)  # fmt: skip
    (problem,) = problems
    assert "Audit" in problem.text("fr") and "audit" in problem.text("en")
    assert ARABIC.search(problem.text("ar"))


# --- Clause text ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", catalogue.LANGS)
def test_default_clauses_render_without_gaps(lang: str) -> None:
    for clause in clauses():
        for block in rules.clause_blocks(clause, lang, {"effective_date": "01/01/2025"}):
            if isinstance(block, rules.Paragraph):
                assert "{" not in block.text and "…" not in block.text, block.text
                if lang == "ar":
                    assert ARABIC.search(block.text)


def test_decision_rule_reads_in_words() -> None:
    text = rules.decision_text({"method": "consensus", "fallback_method": "qualified",
                                "fallback_threshold": "2/3", "fallback_from_round": 2})  # fmt: skip
    assert "consensus" in text.fr and "2/3" in text.fr and "tour n° 2" in text.fr
    assert "التوافق" in text.ar


def test_custom_text_replaces_catalogue_text() -> None:
    clause = rules.ClauseData("disputes", "disputes", 10, {"amicable_days": 30},
                              texts={"fr": "Délai : {amicable_days} jours.\n\nFin."})  # fmt: skip
    blocks = rules.clause_blocks(clause, "fr")
    assert blocks == [rules.Paragraph("Délai : 30 jours."), rules.Paragraph("Fin.")]
    assert "30" in rules.clause_blocks(clause, "en")[0].text  # type: ignore[union-attr]


# --- Differences ---------------------------------------------------------------------------

json_values = st.one_of(st.integers(-5, 5), st.booleans(), st.text(max_size=4),
                        st.lists(st.integers(0, 3), max_size=2))  # fmt: skip
clause_strategy = st.builds(
    lambda code, order, params, title: rules.ClauseData(
        key=code, code=code, order=order, params=params,
        titles={"fr": title} if title else {},
    ),
    st.sampled_from([s.code for s in catalogue.CATALOGUE if not s.repeatable]),
    st.integers(0, 50),
    st.dictionaries(st.sampled_from(["a", "b", "c", "quorum"]), json_values, max_size=3),
    st.text(max_size=3),
)  # fmt: skip
versions = st.lists(clause_strategy, max_size=6, unique_by=lambda c: c.key)


def _normal(items: list[rules.ClauseData]) -> list[rules.ClauseData]:
    return sorted(items, key=lambda c: (c.order, c.key))


@given(versions)
def test_diff_of_a_version_with_itself_is_empty(a: list[rules.ClauseData]) -> None:
    assert rules.diff(a, a) == []


@given(versions, versions)
def test_applying_the_diff_gives_the_new_version(
    a: list[rules.ClauseData], b: list[rules.ClauseData]
) -> None:
    assert _normal(rules.apply_diff(a, rules.diff(a, b))) == _normal(b)


@given(versions, versions)
def test_diff_lists_each_changed_clause_once(
    a: list[rules.ClauseData], b: list[rules.ClauseData]
) -> None:
    changes = rules.diff(a, b)
    assert len({c.key for c in changes}) == len(changes)
    before, after = {c.key: c for c in a}, {c.key: c for c in b}
    for change in changes:
        if change.change is rules.Change.CHANGED:
            assert before[change.key] != after[change.key]


def test_diff_is_parameter_by_parameter() -> None:
    a = clauses()
    b = clauses(audit={"expense_tolerance": "3/20", "auditor_name": "Cabinet"},
                deliberations={"code_of_conduct": None})  # fmt: skip
    changes = {c.key: c for c in rules.diff(a, b)}
    assert set(changes) == {"audit"}
    fields = {f.name: f for f in changes["audit"].fields}
    assert fields["param.expense_tolerance"].old == "1/10"
    assert fields["param.expense_tolerance"].new == "3/20"
    assert fields["param.auditor_name"].change is rules.Change.ADDED
    label = rules.field_label("audit", "param.expense_tolerance", "fr")
    assert label.startswith("Dépassement")
    assert rules.field_value("audit", "param.expense_tolerance", "3/20", "fr") == "15\u00a0%"


# --- Rules in force, hash, lifecycle -------------------------------------------------------


def test_rules_mapping_builds_engine_values() -> None:
    mapped = rules.rules_json(clauses(deliberations={"notice_days": 15, "max_proxies": 2}))
    rule = build_rule(mapped.decision_rule)
    assert rule.method.value == "consensus"
    assert rule.fallback is not None and rule.fallback.rule.threshold == Fraction(2, 3)
    assert rule.max_proxies_per_member == 2
    policy = build_policy(mapped.balance_policy)
    assert policy.min_women_share == Fraction(1, 3)
    assert mapped.notice_period_days == 15
    assert mapped.expense_tolerance == Fraction(1, 10)
    assert mapped.termination["surplus_disposition"] == "by_key"


def test_rules_of_a_realization_convention_fall_back_to_defaults() -> None:
    mapped = rules.rules_json(clauses("realization"))
    assert mapped.notice_period_days == 10 and mapped.audit_frequency_months == 12


def test_content_hash_is_stable_and_sensitive() -> None:
    meta = {"number": 0}
    first = rules.content_hash(clauses(), meta=meta)
    assert first == rules.content_hash(list(reversed(clauses())), meta=meta)
    assert first != rules.content_hash(clauses(audit={"auditor_name": "X"}), meta=meta)
    assert len(first) == 64


def test_signed_versions_never_go_back() -> None:
    for status in (rules.Status.SIGNED, rules.Status.IN_FORCE, rules.Status.ENDED):
        assert not rules.allowed_next(status) & {rules.Status.DRAFT,
                                                 rules.Status.UNDER_NEGOTIATION}  # fmt: skip


@pytest.mark.parametrize("value", ["1/3", "0.25", "12,5 %", 1, "1"])
def test_parse_fraction_accepts_the_usual_notations(value: Any) -> None:
    assert 0 < rules.parse_fraction(value) <= 1


@pytest.mark.parametrize("value", ["", "-1/2", "1/0", "a/b", "1.2.3", True, None, [1]])
def test_parse_fraction_refuses_garbage(value: Any) -> None:
    with pytest.raises((ValueError, ZeroDivisionError)):
        rules.parse_fraction(value)


def test_param_types_all_have_a_form() -> None:
    kinds = {p.type for spec in catalogue.CATALOGUE for p in spec.params}
    assert kinds <= set(PType)
