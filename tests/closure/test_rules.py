"""The pure closure rules: grounds as data, notice and effective dates, convention end, the
wind-down items, the sharing key (with hypothesis properties)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sharaka.closure import rules
from sharaka.closure.rules import Ground, ItemKind, ItemStatus, KeySource
from sharaka.core.rules import allocate


def test_every_ground_has_a_label_a_legal_reference_and_only_expiry_needs_no_decision() -> None:
    assert set(rules.GROUNDS) == set(Ground)
    for spec in rules.GROUNDS.values():
        assert spec.label and spec.legal
    assert [g for g, s in rules.GROUNDS.items() if not s.needs_decision] == [Ground.EXPIRY]


def test_notice_days_come_from_the_convention_clause_of_the_ground() -> None:
    terms = {"notice_days": 180, "breach_notice_days": 30}
    assert rules.notice_days_for(Ground.NOTICE, terms) == 180
    assert rules.notice_days_for(Ground.BREACH, terms) == 30
    assert rules.notice_days_for(Ground.AGREEMENT, terms) == 0
    assert rules.notice_days_for(Ground.EXPIRY, terms) == 0
    assert rules.notice_days_for(Ground.NOTICE, {}) == 0


@given(st.dates(date(2000, 1, 1), date(2090, 1, 1)), st.integers(0, 730), st.sampled_from(Ground))
def test_effective_date_is_the_start_plus_the_notice_of_grounds_with_one(
    start: date, days: int, ground: Ground
) -> None:
    effective = rules.effective_date(ground, start, days)
    assert effective >= start
    assert effective == (start + timedelta(days=days) if rules.GROUNDS[ground].notice else start)


def test_negative_notice_is_refused() -> None:
    with pytest.raises(ValueError):
        rules.effective_date(Ground.NOTICE, date(2026, 1, 1), -1)


def test_convention_end() -> None:
    assert rules.convention_end(date(2025, 1, 1), 3) == date(2028, 1, 1)
    assert rules.convention_end(date(2024, 2, 29), 1) == date(2025, 3, 1)
    assert rules.convention_end(date(2025, 1, 1), 3, "tacit") is None
    assert rules.convention_end(None, 3) is None
    assert rules.convention_end(date(2025, 1, 1), None) is None
    assert rules.expired(date(2028, 1, 1), date(2028, 1, 1))
    assert not rules.expired(date(2028, 1, 1), date(2027, 12, 31))
    assert not rules.expired(None, date(2099, 1, 1))


def test_wind_down_closed_needs_every_item_done_or_not_applicable() -> None:
    assert not rules.wind_down_closed([])
    assert rules.wind_down_closed(["done", "not_applicable"])
    assert not rules.wind_down_closed(["done", "in_progress"])


def test_item_problems() -> None:
    assert rules.item_problem(ItemKind.ASSET, ItemStatus.DONE, "") == "disposition_missing"
    assert rules.item_problem(ItemKind.ASSET, ItemStatus.DONE, "sold") == ""
    assert rules.item_problem(ItemKind.ASSET, ItemStatus.OPEN, "ended") == "disposition"
    assert rules.item_problem(ItemKind.FINAL_ACCOUNTS, ItemStatus.DONE, "") == "automatic"
    assert rules.item_problem(ItemKind.FINAL_ACCOUNTS, ItemStatus.IN_PROGRESS, "") == ""
    assert rules.item_problem(ItemKind.ASSET, ItemStatus.NOT_APPLICABLE, "") == ""


PARTIES = {"1": "Commune A", "2": "Association Alpha"}


def test_sharing_key_follows_the_termination_clause() -> None:
    clause = {"surplus_disposition": "by_key", "deficit_disposition": "lead_authority",
              "sharing_key": [{"organization": "commune a ", "share": "3/4"},
                              {"organization": "Association Alpha", "share": "1/4"}]}  # fmt: skip
    contributions = {"1": Decimal(10), "2": Decimal(30)}
    source, keys = rules.sharing_keys(balance=Decimal(100), terms=clause, parties=PARTIES,
                                      contributions=contributions, lead="1")  # fmt: skip
    assert source is KeySource.CONVENTION and keys == {"1": Fraction(3, 4), "2": Fraction(1, 4)}
    source, keys = rules.sharing_keys(balance=Decimal(-5), terms=clause, parties=PARTIES,
                                      contributions=contributions, lead="1")  # fmt: skip
    assert source is KeySource.LEAD and keys == {"1": 1}
    unknown = dict(clause, sharing_key=[{"organization": "Quelqu'un", "share": "1"}])
    source, keys = rules.sharing_keys(balance=Decimal(100), terms=unknown, parties=PARTIES,
                                      contributions=contributions, lead="1")  # fmt: skip
    assert source is KeySource.CONTRIBUTIONS and keys == {"1": 10, "2": 30}
    source, keys = rules.sharing_keys(balance=Decimal(1), terms=None, parties=PARTIES,
                                      contributions={}, lead="2")  # fmt: skip
    assert source is KeySource.LEAD and keys == {"2": 1}


@given(
    st.dictionaries(
        st.sampled_from("abcdefgh"),
        st.fractions(Fraction(0), Fraction(1000), max_denominator=1000),
        min_size=1,
    ),
    st.integers(-10**9, 10**9),
)  # fmt: skip
def test_integer_keys_keep_the_proportions_and_allocation_sums_to_the_balance(
    keys: dict[str, Fraction], units: int
) -> None:
    if sum(keys.values()) <= 0:
        return
    whole = rules.integer_keys(keys)
    assert all(isinstance(v, int) and v >= 0 for v in whole.values())
    first = next(k for k in keys if keys[k] > 0)
    for name in keys:
        assert Fraction(whole[name], whole[first]) == keys[name] / keys[first]
    amount = allocate.format_units(units, 2)
    document = {"amount": amount, "keys": [{"id": k, "key": str(v)} for k, v in whole.items()]}
    result = allocate.run(document)
    assert sum(s.units for s in result.shares) == units


def test_the_note_on_dissolved_associations_applies_to_associations_only() -> None:
    kinds = {"Commune B": "commune", "Association A": "association", "Amal": "association"}
    assert rules.associations(kinds) == ("Amal", "Association A")
    assert rules.associations({"Commune": "commune"}) == ()
    assert "1958" in rules.ASSOCIATION_ASSETS.legal and "art. 37" in rules.ASSOCIATION_ASSETS.legal
