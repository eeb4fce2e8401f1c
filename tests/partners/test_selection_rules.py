"""The pure selection rules (M11): coverage, gaps, ranking."""

from __future__ import annotations

import ast
from fractions import Fraction
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from sharaka.partners import selection_rules as rules
from sharaka.partners.selection_rules import Candidate, Requirement, Standing

CODES = st.sampled_from(["a", "b", "c", "d", "e"])
LEVEL = st.integers(min_value=1, max_value=3)
HELD = st.dictionaries(CODES, LEVEL, max_size=5)
REQUIREMENTS = st.lists(
    st.builds(Requirement, CODES, LEVEL), max_size=6, unique_by=lambda r: r.competence
)


@given(REQUIREMENTS, HELD, CODES, LEVEL)
def test_adding_a_competence_never_lowers_coverage(needs: list[Requirement], held: dict[str, int],
                                                   code: str, level: int) -> None:  # fmt: skip
    more = {**held, code: max(held.get(code, 0), level)}
    assert rules.coverage(needs, more) >= rules.coverage(needs, held)


@given(REQUIREMENTS, HELD)
def test_coverage_is_a_share(needs: list[Requirement], held: dict[str, int]) -> None:
    value = rules.coverage(needs, held)
    assert 0 <= value <= 1
    assert (value == 1) == (not rules.gaps(needs, [held]))


@given(REQUIREMENTS, st.lists(HELD, max_size=4), HELD)
def test_a_new_party_never_opens_a_gap(needs: list[Requirement], parties: list[dict[str, int]],
                                       new: dict[str, int]) -> None:  # fmt: skip
    before = rules.gaps(needs, parties)
    after = rules.gaps(needs, [*parties, new])
    assert set(after) <= set(before)
    filled = rules.fills(needs, Candidate(1, "x", new), parties)
    assert set(after) == set(before) - set(filled)


@given(REQUIREMENTS, st.lists(HELD, min_size=1, max_size=4))
def test_pooled_covers_what_any_covers(
    needs: list[Requirement], helds: list[dict[str, int]]
) -> None:
    together = rules.pooled(helds)
    for held in helds:
        assert rules.coverage(needs, together) >= rules.coverage(needs, held)


@given(REQUIREMENTS, HELD)
def test_admissible_ranks_first_at_equal_coverage(
    needs: list[Requirement], held: dict[str, int]
) -> None:
    out = Candidate(1, "a", held, Standing.NOT_ADMISSIBLE)
    undecided = Candidate(2, "b", held, Standing.UNDECIDED)
    ok = Candidate(3, "c", held, Standing.ADMISSIBLE)
    assert rules.ranked(needs, [out, undecided, ok]) == [ok, undecided, out]


def test_higher_coverage_ranks_first_whatever_admissibility() -> None:
    needs = [Requirement("a", 2), Requirement("b", 1)]
    full = Candidate(9, "z", {"a": 2, "b": 1}, Standing.UNDECIDED)
    half = Candidate(1, "a", {"a": 3}, Standing.ADMISSIBLE)
    below = Candidate(2, "b", {"a": 1}, Standing.ADMISSIBLE)
    assert rules.ranked(needs, [below, half, full]) == [full, half, below]
    assert rules.coverage(needs, {"a": 1}) == Fraction(0)
    assert rules.coverage([], {}) == 1


def test_the_rules_are_pure() -> None:
    source = Path(rules.__file__).read_text()
    imported = {
        (node.module or "") if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }  # fmt: skip
    assert not any(name.startswith(("django", "sharaka")) for name in imported), imported
