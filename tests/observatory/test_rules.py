"""The compliance scores are pure rules (issue 19)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from sharaka.observatory import rules

counts = st.integers(min_value=0, max_value=500)
score = st.one_of(st.none(), st.integers(min_value=0, max_value=100))


def _in_range(value: rules.Score) -> bool:
    return value is None or 0 <= value <= 100


@given(st.dictionaries(st.text(max_size=3), counts, max_size=6))
def test_board_balance_is_a_percentage_and_measured_only_with_seats(seats: dict[str, int]) -> None:
    result = rules.board_balance(seats)
    assert _in_range(result)
    assert (result is None) == (sum(seats.values()) == 0)


def test_board_balance_examples() -> None:
    assert rules.board_balance({"a": 5, "b": 5}) == 100
    assert rules.board_balance({"a": 3, "b": 1}) == 50
    assert rules.board_balance({"a": 4}) == 0
    assert rules.board_balance({}) is None


@given(counts, counts)
def test_women_share_reaches_100_at_one_third(women: int, others: int) -> None:
    result = rules.women_share(women, women + others)
    assert _in_range(result)
    if women + others == 0:
        assert result is None
    elif 3 * women >= women + others:
        assert result == 100


@given(counts, counts)
def test_on_time_shares_are_not_measured_without_anything_due(due: int, late: int) -> None:
    in_time = max(0, due - late)
    for rule in (rules.minutes_on_time, rules.requests_on_time):
        result = rule(due, in_time)
        assert _in_range(result)
        assert (result is None) == (due == 0)
        if due and not late:
            assert result == 100


@given(
    st.decimals(min_value=0, max_value=10**9, places=2),
    st.decimals(min_value=-(10**6), max_value=10**9, places=2),
)
def test_budget_execution_is_capped_and_needs_a_budget(budget: Decimal, spent: Decimal) -> None:
    result = rules.budget_execution(budget, spent)
    assert _in_range(result)
    assert (result is None) == (budget == 0)


@given(st.one_of(st.none(), counts))
def test_audit_findings_lose_ten_points_each(findings: int | None) -> None:
    result = rules.audit_findings(findings)
    assert _in_range(result)
    assert result is None if findings is None else result == max(0, 100 - 10 * findings)


@given(st.lists(score, max_size=10))
def test_mean_ignores_what_is_not_measured(scores: list[rules.Score]) -> None:
    result = rules.mean(scores)
    measured = [s for s in scores if s is not None]
    if not measured:
        assert result is None
    else:
        assert result is not None and min(measured) <= result <= max(measured)


def test_every_measure_has_a_reference_and_unmeasured_ones_stay_none() -> None:
    assert {m.code for m in rules.MEASURES} == set(rules.Code)
    assert all(m.reference for m in rules.MEASURES)
    rows = [{"convention": 100}, {"convention": 0}, {}]
    scores = rules.authority_scores(rows)
    assert scores["convention"] == 50
    assert scores["decisions_posted"] is None


@given(counts, counts)
def test_decisions_posted_is_the_share_posted_in_time(due: int, late: int) -> None:
    in_time = max(0, due - late)
    result = rules.decisions_posted(due, in_time)
    assert _in_range(result)
    assert (result is None) == (due == 0)
    if due and not late:
        assert result == 100
    if due and in_time == 0:
        assert result == 0


@given(counts, counts, counts, counts)
def test_on_schedule_counts_audits_and_evaluations_together(
    audits: int, audits_kept: int, evaluations: int, evaluations_kept: int
) -> None:
    result = rules.on_schedule(audits, audits_kept, evaluations, evaluations_kept)
    assert _in_range(result)
    assert (result is None) == (audits + evaluations == 0)
    if audits + evaluations and audits_kept >= audits and evaluations_kept >= evaluations:
        assert result == 100
    if audits + evaluations and audits_kept == evaluations_kept == 0:
        assert result == 0


def test_on_schedule_examples() -> None:
    assert rules.on_schedule(1, 1, 1, 0) == 50
    assert rules.on_schedule(0, 0, 4, 3) == 75
    assert rules.on_schedule(0, 5, 0, 5) is None  # nothing due yet: not measured
    assert rules.decisions_posted(3, 2) == 67


def test_every_measure_is_now_measured_with_a_reference() -> None:
    assert all(m.measured and m.reference for m in rules.MEASURES)
    posted = next(m for m in rules.MEASURES if m.code == rules.Code.DECISIONS_POSTED)
    assert "art. 273" in posted.reference
