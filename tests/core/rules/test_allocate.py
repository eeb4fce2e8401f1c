"""``allocate``: shares to the minor unit, summing to the amount (rules-cli.md)."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from sharaka.core.rules.allocate import Key, allocate, format_units
from sharaka.core.rules.allocate import run as run_allocate


def test_contract_example() -> None:
    result = run_allocate(
        {"amount": "-12345.67", "minor_units": 2, "method": "largest_remainder",
         "keys": [{"id": "commune-oz", "key": "3"}, {"id": "amal", "key": "1"}]}
    ).as_dict()  # fmt: skip
    assert result == {
        "shares": [
            {"id": "commune-oz", "amount": "-9259.25"},
            {"id": "amal", "amount": "-3086.42"},
        ],
        "total": "-12345.67",
    }


def test_ties_go_to_the_larger_key_then_to_the_first_listed() -> None:
    # 1 unit, equal remainders 1/3 each for keys 1,1,1: the first listed wins
    assert [s.units for s in allocate(1, (Key("a", Fraction(1)), Key("b", Fraction(1)),
                                          Key("c", Fraction(1))))] == [1, 0, 0]  # fmt: skip
    # 1 unit, keys 1 and 1 and 2 (remainders 1/4, 1/4, 1/2): the largest remainder wins
    shares = allocate(1, (Key("a", Fraction(1)), Key("b", Fraction(1)), Key("c", Fraction(2))))
    assert [s.units for s in shares] == [0, 0, 1]
    # 3 units, keys 1, 2 (exact 1 and 2): no leftover, no tie
    assert [s.units for s in allocate(3, (Key("a", Fraction(1)), Key("b", Fraction(2))))] == [1, 2]
    # 2 units, keys 3, 1, 3, 1 over 8: remainders 3/4, 1/4, 3/4, 1/4: the two keys of 3
    keys = tuple(Key(n, Fraction(k)) for n, k in (("a", 3), ("b", 1), ("c", 3), ("d", 1)))
    assert [s.units for s in allocate(2, keys)] == [1, 0, 1, 0]


def test_lead_takes_every_leftover() -> None:
    result = run_allocate(
        {"amount": "0.05", "method": "lead", "lead": "b",
         "keys": [{"id": "a", "key": "1"}, {"id": "b", "key": "1"}, {"id": "c", "key": "1"}]}
    ).as_dict()  # fmt: skip
    assert [s["amount"] for s in result["shares"]] == ["0.01", "0.03", "0.01"]  # type: ignore[index]


def test_zero_key_and_zero_amount_and_units() -> None:
    result = run_allocate(
        {"amount": "-10", "minor_units": 0,
         "keys": [{"id": "a", "key": "0"}, {"id": "b", "key": "2"}]}
    ).as_dict()  # fmt: skip
    assert result["shares"] == [{"id": "a", "amount": "0"}, {"id": "b", "amount": "-10"}]
    assert format_units(0, 2) == "0.00" and format_units(-5, 3) == "-0.005"
    assert run_allocate({"amount": "12.5", "keys": [{"id": "a", "key": 1}]}).as_dict()["total"] == (
        "12.50"
    )


def test_demo_surplus_of_the_issue_is_shared_to_the_cent() -> None:
    result = run_allocate(
        {"amount": "127433.37",
         "keys": [{"id": "oz", "key": "2500000"}, {"id": "tz", "key": "1500000"},
                  {"id": "amal", "key": "350000.50"}]}
    ).as_dict()  # fmt: skip
    total = sum(Fraction(s["amount"]) for s in result["shares"])  # type: ignore[union-attr]
    assert total == Fraction("127433.37")


KEYS = st.lists(
    st.fractions(min_value=0, max_value=1000, max_denominator=100), min_size=1, max_size=8
).filter(lambda keys: sum(keys) > 0)
AMOUNT = st.integers(min_value=-(10**12), max_value=10**12)


@settings(max_examples=300, deadline=None)
@given(AMOUNT, KEYS)
def test_largest_remainder_properties(amount: int, values: list[Fraction]) -> None:
    keys = tuple(Key(f"p{i}", v) for i, v in enumerate(values))
    shares = allocate(amount, keys)
    assert sum(s.units for s in shares) == amount
    total = sum(values)
    for share, key in zip(shares, keys, strict=True):
        exact = abs(amount) * key.key / total
        assert abs(abs(share.units) - exact) < 1  # within one minor unit
        assert abs(share.units) >= exact - 1 and abs(share.units) <= exact + 1
        assert share.units == 0 or (share.units < 0) == (amount < 0)  # the sign of the amount
        if key.key == 0:
            assert share.units == 0


@settings(max_examples=200, deadline=None)
@given(AMOUNT, KEYS, st.randoms(use_true_random=False))
def test_permuting_parties_permutes_shares_when_keys_are_distinct(
    amount: int, values: list[Fraction], random: object
) -> None:
    """Ties (equal remainder and equal key) go to the first listed: the documented exception.
    With distinct keys there is no such tie, so the shares follow their parties."""
    distinct = list(dict.fromkeys(values))
    keys = [Key(f"p{i}", v) for i, v in enumerate(distinct)]
    before = {s.id: s.units for s in allocate(amount, tuple(keys))}
    shuffled = list(keys)
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    after = {s.id: s.units for s in allocate(amount, tuple(shuffled))}
    assert before == after


@settings(max_examples=200, deadline=None)
@given(AMOUNT, KEYS, st.data())
def test_lead_gets_every_leftover(amount: int, values: list[Fraction], data: st.DataObject) -> None:
    keys = tuple(Key(f"p{i}", v) for i, v in enumerate(values))
    lead = data.draw(st.sampled_from(keys)).id
    shares = allocate(amount, keys, "lead", lead)
    assert sum(s.units for s in shares) == amount
    total = sum(values)
    for share, key in zip(shares, keys, strict=True):
        floor = (abs(amount) * key.key / total).__floor__()
        if key.id != lead:
            assert abs(share.units) == floor
        else:
            assert abs(share.units) >= floor
