"""Voting power: published values, brute force on small games, and properties."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction
from itertools import combinations
from math import comb, factorial

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sharaka.governance.rules import (
    Base,
    Bloc,
    CollegeRule,
    CollegesRequired,
    Member,
    Method,
    PowerResult,
    Rule,
    RulesInputError,
    RulesLimitError,
    TieBreak,
    kernel,
    power_board,
    power_weighted,
)
from sharaka.governance.rules.power import (
    board_game,
    count_minimal_winning,
    minimal_winning_by_left_out,
    minimal_winning_by_members,
)

# ------------------------------------------------------------------------ engines


@pytest.fixture(params=["compiled", "reference"])
def engine(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with the compiled kernel (ADR 0007) and again with the pure-Python code."""
    if request.param == "compiled" and not kernel.AVAILABLE:
        pytest.skip("the package was built without its compiled kernel")
    if request.param == "reference":
        monkeypatch.setattr(kernel, "AVAILABLE", False)
    return str(request.param)


# ------------------------------------------------------------------------ brute force


def brute_force(n: int, wins: Callable[[frozenset[int]], bool]) -> dict[str, object]:
    """Every index straight from the definitions, over all 2^n coalitions."""
    swings = [0] * n
    shapley = [Fraction(0)] * n
    winning = [
        frozenset(c) for k in range(n + 1) for c in combinations(range(n), k) if wins(frozenset(c))
    ]
    winning_set = set(winning)
    for coalition in winning:
        for i in coalition:
            rest = coalition - {i}
            if rest not in winning_set:
                swings[i] += 1
                s = len(rest)
                shapley[i] += Fraction(factorial(s) * factorial(n - 1 - s), factorial(n))
    minimal = sum(1 for c in winning if all(c - {i} not in winning_set for i in c))
    veto = [i for i in range(n) if winning and all(i in c for c in winning)]
    dictators = [i for i in veto if frozenset({i}) in winning_set]
    total = sum(swings)
    return {
        "swings": swings,
        "banzhaf": [Fraction(s, total) if total else Fraction(0) for s in swings],
        "shapley": shapley,
        "minimal": minimal,
        "veto": veto,
        "dictators": dictators,
    }


def as_lists(result: PowerResult) -> dict[str, object]:
    players = result.players
    index = {p: k for k, p in enumerate(players)}
    return {
        "swings": [result.banzhaf_swings[p] for p in players],
        "banzhaf": [result.banzhaf[p] for p in players],
        "shapley": [result.shapley_shubik[p] for p in players],
        "minimal": result.minimal_winning_coalitions,
        "veto": [index[p] for p in result.veto_players],
        "dictators": [index[p] for p in result.dictators],
    }


def weighted(weights: Sequence[int], quota: int) -> PowerResult:
    return power_weighted([(f"p{k}", w) for k, w in enumerate(weights)], quota)


# -------------------------------------------------------------------- published values


def test_eec_council_of_ministers_1958() -> None:
    # EEC Council of Ministers, 1958-1972: France, Germany, Italy 4 votes, Belgium and the
    # Netherlands 2, Luxembourg 1, quota 12. Luxembourg is a dummy. Banzhaf swings 10/10/10/
    # 6/6/0 (normalised 5/21, 3/21, 0), Shapley-Shubik 14/60 and 9/60. Source: Felsenthal &
    # Machover, "The Measurement of Voting Power" (1998); Wikipedia, "Banzhaf power index".
    result = power_weighted([("FR", 4), ("DE", 4), ("IT", 4), ("BE", 2), ("NL", 2), ("LU", 1)], 12)
    assert dict(result.banzhaf_swings) == {"FR": 10, "DE": 10, "IT": 10, "BE": 6, "NL": 6, "LU": 0}
    assert result.banzhaf["FR"] == Fraction(5, 21)
    assert result.banzhaf["BE"] == Fraction(3, 21)
    assert result.banzhaf["LU"] == 0
    assert result.shapley_shubik["FR"] == Fraction(14, 60)
    assert result.shapley_shubik["BE"] == Fraction(9, 60)
    assert result.shapley_shubik["LU"] == 0
    assert result.dictators == () and result.veto_players == ()
    # minimal winning: {FR, DE, IT} and each pair of big three with BE and NL (3)
    assert result.minimal_winning_coalitions == 4
    as_json = result.as_dict()
    assert as_json["banzhaf"]["FR"] == pytest.approx(0.238095238095, abs=1e-12)
    assert as_json["shapley_shubik"]["FR"] == pytest.approx(0.233333333333, abs=1e-12)


def test_un_security_council() -> None:
    # UN Security Council since 1965: 5 permanent members with a veto, 10 elected members,
    # 9 votes needed including all 5 permanent ones; as a weighted game 7 x 5 + 1 x 10, quota
    # 39. Shapley-Shubik: permanent 421/2145 ~ 0.1963, elected 4/2145 ~ 0.001865 (Shapley &
    # Shubik 1954 computed it for the then 11-member council; these are the 15-member values,
    # e.g. Felsenthal & Machover 1998). Minimal winning coalitions: C(10, 4) = 210.
    # Banzhaf (Felsenthal & Machover): permanent 0.1669, elected 0.0165.
    result = weighted([7] * 5 + [1] * 10, 39)
    assert result.shapley_shubik["p0"] == Fraction(421, 2145)
    assert result.shapley_shubik["p5"] == Fraction(4, 2145)
    assert float(result.shapley_shubik["p0"]) == pytest.approx(0.1963, abs=1e-4)
    assert float(result.shapley_shubik["p5"]) == pytest.approx(0.001865, abs=1e-6)
    assert result.minimal_winning_coalitions == comb(10, 4) == 210
    assert result.veto_players == tuple(f"p{k}" for k in range(5))
    assert result.dictators == ()
    assert float(result.banzhaf["p0"]) == pytest.approx(0.1669, abs=1e-4)
    assert float(result.banzhaf["p5"]) == pytest.approx(0.0165, abs=1e-4)
    assert result.banzhaf_swings["p5"] == comb(9, 3)  # elected member pivotal with 3 of 9 others


def test_nassau_county_board_1964() -> None:
    # Nassau County Board of Supervisors, 1964: Hempstead #1 and #2 31 votes each, Oyster Bay
    # 28, North Hempstead 21, Long Beach 2, Glen Cove 2; 58 of 115 to pass. Banzhaf (1965,
    # "Weighted voting doesn't work", Rutgers Law Review 19) showed the last three powerless.
    result = power_weighted(
        [("H1", 31), ("H2", 31), ("OB", 28), ("NH", 21), ("LB", 2), ("GC", 2)], 58
    )
    assert dict(result.banzhaf) == {
        "H1": Fraction(1, 3),
        "H2": Fraction(1, 3),
        "OB": Fraction(1, 3),
        "NH": 0,
        "LB": 0,
        "GC": 0,
    }
    assert result.banzhaf_swings["H1"] == 16
    assert result.shapley_shubik["OB"] == Fraction(1, 3)


def test_contract_example_shape() -> None:
    result = power_weighted([("FR", 4), ("LU", 1)], 12)  # nobody can win
    assert result.as_dict() == {
        "players": ["FR", "LU"],
        "banzhaf": {"FR": 0.0, "LU": 0.0},
        "banzhaf_swings": {"FR": 0, "LU": 0},
        "shapley_shubik": {"FR": 0.0, "LU": 0.0},
        "dictators": [],
        "veto_players": [],
        "minimal_winning_coalitions": 0,
    }


def test_dictator() -> None:
    result = weighted([6, 2, 1, 1], 6)
    assert result.dictators == ("p0",) and result.veto_players == ("p0",)
    assert result.banzhaf["p0"] == 1 and result.shapley_shubik["p0"] == 1
    assert result.minimal_winning_coalitions == 1


def test_zero_weight_players_are_dummies_but_double_the_swings() -> None:
    base = weighted([3, 2, 2], 4)
    with_dummy = weighted([3, 2, 2, 0], 4)
    assert with_dummy.banzhaf_swings["p3"] == 0 and with_dummy.shapley_shubik["p3"] == 0
    for p in ("p0", "p1", "p2"):
        assert with_dummy.banzhaf_swings[p] == 2 * base.banzhaf_swings[p]
        assert with_dummy.banzhaf[p] == base.banzhaf[p]
        assert with_dummy.shapley_shubik[p] == base.shapley_shubik[p]


def test_large_weighted_game_is_exact() -> None:
    # speed is measured by bench/bench_power.py, not here
    weights = [(k * 37) % 100 + 1 for k in range(100)]
    result = weighted(weights, sum(weights) // 2 + 1)
    assert sum(result.banzhaf.values()) == 1
    assert sum(result.shapley_shubik.values()) == 1


def test_weighted_limits(engine: str) -> None:
    with pytest.raises(RulesLimitError, match=r"^players: 2001 players"):
        weighted([1] * 2001, 10)
    with pytest.raises(RulesLimitError, match=r"^players: total weight"):
        weighted([600_000, 600_000], 10)
    too_long = [1 + k % 10 for k in range(2000)]  # 2000 players, quota ~5,500
    with pytest.raises(RulesLimitError, match=r"^players: too large for an exact computation"):
        weighted(too_long, sum(too_long) // 2 + 1)
    if engine == "compiled":
        too_wide = [1 + k % 1000 for k in range(1000)]  # a table of 1000 x 250,000 cells
        with pytest.raises(RulesLimitError, match=r"\(players \+ 1\) x \(quota \+ 1\)"):
            weighted(too_wide, sum(too_wide) // 2 + 1)
        # a game the pure-Python engine refuses, the compiled one computes
        assert sum(weighted([500] * 1500, 1500 * 250).shapley_shubik.values()) == 1
    else:
        with pytest.raises(RulesLimitError, match=r"players\^3 x quota"):
            weighted([500] * 1500, 1500 * 250)


def test_weighted_bad_input() -> None:
    with pytest.raises(RulesInputError, match=r"^quota: must be at least 1"):
        weighted([1, 2], 0)
    with pytest.raises(RulesInputError, match=r"^players\[1\]\.weight: must be >= 0"):
        weighted([1, -2], 1)
    with pytest.raises(RulesInputError, match=r"^players\[1\]\.id: duplicate id"):
        power_weighted([("a", 1), ("a", 1)], 1)


# ------------------------------------------------------------------ weighted properties

WEIGHTS = st.lists(st.integers(min_value=0, max_value=12), min_size=1, max_size=9)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(WEIGHTS, st.data())
def test_weighted_equals_brute_force(engine: str, weights: list[int], data: st.DataObject) -> None:
    quota = data.draw(st.integers(min_value=1, max_value=sum(weights) + 2))
    expected = brute_force(len(weights), lambda c: sum(weights[i] for i in c) >= quota)
    assert as_lists(weighted(weights, quota)) == expected


@settings(max_examples=150, deadline=None)
@given(WEIGHTS, st.data())
def test_weighted_properties(weights: list[int], data: st.DataObject) -> None:
    quota = data.draw(st.integers(min_value=1, max_value=sum(weights) + 1))
    result = weighted(weights, quota)
    players = result.players
    if any(result.banzhaf_swings.values()):
        assert sum(result.banzhaf.values()) == 1
        assert sum(result.shapley_shubik.values()) == 1
    for a in range(len(weights)):
        pa = players[a]
        if result.banzhaf_swings[pa] == 0:  # a dummy has no power at all
            assert result.shapley_shubik[pa] == 0
        for b in range(len(weights)):
            pb = players[b]
            if weights[a] > weights[b]:  # heavier never has less power
                assert result.banzhaf[pa] >= result.banzhaf[pb]
                assert result.shapley_shubik[pa] >= result.shapley_shubik[pb]
            if weights[a] == weights[b]:  # symmetric players are equal
                assert result.banzhaf[pa] == result.banzhaf[pb]
                assert result.shapley_shubik[pa] == result.shapley_shubik[pb]
    for dictator in result.dictators:
        assert result.banzhaf[dictator] == 1 and result.shapley_shubik[dictator] == 1


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=60), min_size=10, max_size=60), st.data())
def test_minimal_winning_count_is_consistent_under_scaling(
    weights: list[int], data: st.DataObject
) -> None:
    quota = data.draw(st.integers(min_value=1, max_value=sum(weights)))
    assert count_minimal_winning(weights, quota) == count_minimal_winning(
        [3 * w for w in weights], 3 * quota
    )


# ------------------------------------------------------------------------------ board


def member(
    i: str, org: str, college: str = "c", *, voting: bool = True, chair: bool = False
) -> Member:
    return Member(id=i, organization=org, college=college, voting=voting, chair=chair)


def test_board_majority_holder_is_a_dictator() -> None:
    members = [
        member("a1", "A"),
        member("a2", "A"),
        member("a3", "A"),
        member("b", "B"),
        member("c", "C"),
        member("x", "X", voting=False),
    ]
    result = power_board(members, Rule(method=Method.ABSOLUTE), Bloc.ORGANIZATION)
    assert result.players == ("A", "B", "C")  # X has no vote: not a player
    assert result.dictators == ("A",)
    assert result.banzhaf["A"] == 1


def test_board_consensus_gives_everyone_a_veto() -> None:
    members = [member("a", "A"), member("b", "B"), member("c", "C")]
    result = power_board(members, Rule(method=Method.CONSENSUS), Bloc.ORGANIZATION)
    assert result.veto_players == ("A", "B", "C")
    assert result.minimal_winning_coalitions == 1
    assert set(result.shapley_shubik.values()) == {Fraction(1, 3)}


def test_board_chair_breaks_ties() -> None:
    members = [member("a", "A", chair=True), member("b", "B"), member("c", "C"), member("d", "D")]
    tie = Rule(method=Method.SIMPLE, tie_break=TieBreak.CHAIR)
    game = board_game(members, tie, Bloc.MEMBER)
    assert game.wins({0, 1}) and not game.wins({1, 2})
    result = power_board(members, tie, Bloc.MEMBER)
    assert result.banzhaf["a"] > result.banzhaf["b"]


def test_board_colleges() -> None:
    members = [
        member("l1", "L1", "local"),
        member("l2", "L2", "local"),
        member("l3", "L3", "local"),
        member("a1", "A1", "assoc"),
        member("a2", "A2", "assoc"),
    ]
    double = Rule(
        method=Method.ABSOLUTE,
        colleges=CollegeRule(Method.ABSOLUTE, None, Base.MEMBERS, CollegesRequired.ALL),
    )
    game = board_game(members, double, Bloc.MEMBER)
    assert not game.wins({0, 1, 2})  # 3 of 5 but no associative majority
    assert game.wins({0, 1, 3, 4})
    by_college = power_board(members, double, Bloc.COLLEGE)
    assert by_college.players == ("local", "assoc")
    assert by_college.veto_players == ("local", "assoc")


def test_board_limit() -> None:
    members = [member(f"m{k}", f"o{k}") for k in range(21)]
    with pytest.raises(RulesLimitError, match=r"^bloc: 21 voting blocs .* limited to 20"):
        power_board(members, Rule(method=Method.SIMPLE), Bloc.ORGANIZATION)


def test_board_with_twenty_blocs() -> None:
    members = [member(f"m{k}", f"o{k % 20}", f"c{k % 3}", chair=k == 0) for k in range(30)]
    rule = Rule(
        method=Method.QUALIFIED,
        threshold=Fraction(3, 5),
        colleges=CollegeRule(Method.SIMPLE, None, Base.PRESENT, CollegesRequired.MAJORITY),
    )
    result = power_board(members, rule, Bloc.ORGANIZATION)  # timed by bench/bench_power.py
    assert len(result.players) == 20
    assert sum(result.banzhaf.values()) == 1 and sum(result.shapley_shubik.values()) == 1


BOARD_RULES = st.builds(
    Rule,
    method=st.sampled_from(list(Method)),
    threshold=st.sampled_from([Fraction(1, 2), Fraction(2, 3), Fraction(3, 4)]),
    base=st.sampled_from(list(Base)),
    tie_break=st.sampled_from(list(TieBreak)),
    colleges=st.sampled_from(
        [
            None,
            CollegeRule(Method.SIMPLE, None, Base.CAST, CollegesRequired.MAJORITY),
            CollegeRule(Method.QUALIFIED, Fraction(2, 3), Base.YES_NO, CollegesRequired.ALL),
            CollegeRule(Method.ABSOLUTE, None, Base.MEMBERS, 2),
        ]
    ),
)


@st.composite
def boards(draw: st.DrawFn) -> list[Member]:
    size = draw(st.integers(min_value=0, max_value=9))
    chair = draw(st.integers(min_value=-1, max_value=max(size - 1, 0)))
    return [
        Member(
            id=f"m{k}",
            organization=f"o{draw(st.integers(0, 4))}",
            college=draw(st.sampled_from(["a", "b", "c"])),
            voting=draw(st.booleans()) or k < 2,
            chair=k == chair,
        )
        for k in range(size)
    ]


@settings(max_examples=120, deadline=None)
@given(boards(), BOARD_RULES, st.sampled_from(list(Bloc)))
def test_board_equals_brute_force(members: list[Member], rule: Rule, bloc: Bloc) -> None:
    game = board_game(members, rule, bloc)
    expected = brute_force(len(game.players), game.wins)
    assert as_lists(power_board(members, rule, bloc)) == expected


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=4), min_size=1, max_size=7))
def test_board_by_organization_is_the_weighted_game_of_seats(seats: list[int]) -> None:
    members = [member(f"o{k}-{j}", f"o{k}") for k, n in enumerate(seats) for j in range(n)]
    total = sum(seats)
    board_result = power_board(members, Rule(method=Method.ABSOLUTE), Bloc.ORGANIZATION)
    weighted_result = power_weighted([(f"o{k}", n) for k, n in enumerate(seats)], total // 2 + 1)
    assert board_result == weighted_result


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=30), min_size=2, max_size=25), st.data())
def test_dual_quota_shortcut_matches_direct_window(weights: list[int], data: st.DataObject) -> None:
    # the engine computes over min(q, W - q + 1); both quotas must agree on swings
    total = sum(weights)
    quota = data.draw(st.integers(min_value=1, max_value=total))
    assume(quota != total - quota + 1)
    game = weighted(weights, quota)
    dual = weighted(weights, total - quota + 1)
    assert dict(game.banzhaf_swings) == dict(dual.banzhaf_swings)
    assert dict(game.shapley_shubik) == dict(dual.shapley_shubik)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=40), min_size=1, max_size=30), st.data())
def test_minimal_winning_counted_both_ways_agrees(weights: list[int], data: st.DataObject) -> None:
    # the engine counts over the weights in, or the weights left out, whichever is shorter
    quota = data.draw(st.integers(min_value=1, max_value=sum(weights) + 2))
    assert minimal_winning_by_left_out(weights, quota) == minimal_winning_by_members(weights, quota)


def test_minimal_winning_with_a_quota_near_the_total() -> None:
    # weights 1,1,1,10,10 (total 23), quota 22: the winning coalitions leave out at most one
    # light player; leaving out none is not minimal (a light player can go): 3 coalitions
    assert count_minimal_winning([1, 1, 1, 10, 10], 22) == 3
    assert minimal_winning_by_left_out([1, 1, 1, 10, 10], 22) == 3
    assert minimal_winning_by_members([1, 1, 1, 10, 10], 22) == 3
