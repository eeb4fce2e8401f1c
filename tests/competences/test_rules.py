"""The pure rules of people's competences, by example and by property."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from sharaka.competences import rules
from sharaka.competences.rules import Gap, Person

ROLES = st.sampled_from(["coordinator", "director", "facilitator"])
CODES = st.sampled_from(["gestion", "jeunesse", "comptabilite", "foret"])
LEVEL = st.integers(min_value=1, max_value=4)
REQUIRED = st.dictionaries(st.tuples(ROLES, CODES), LEVEL, max_size=8)
PEOPLE = st.lists(st.builds(Person, st.integers(1, 5), ROLES), max_size=6)
HELD = st.dictionaries(st.integers(1, 5), st.dictionaries(CODES, LEVEL, max_size=4), max_size=5)


def test_a_gap_names_person_role_competence_and_levels() -> None:
    required = {("coordinator", "gestion"): 3, ("facilitator", "jeunesse"): 2}
    people = [Person(1, "coordinator"), Person(2, "facilitator")]
    held = {1: {"gestion": 2}, 2: {"jeunesse": 3}}
    assert rules.gaps(required, people, held) == [Gap(1, "coordinator", "gestion", 3, 2)]
    assert rules.gaps(required, people, held)[0].missing == 1


def test_a_competence_not_held_at_all_is_a_gap_at_level_zero() -> None:
    gaps = rules.gaps({("director", "foret"): 1}, [Person(7, "director")], {})
    assert gaps == [Gap(7, "director", "foret", 1, 0)]


def test_the_partnership_requirement_replaces_the_default_and_zero_removes_it() -> None:
    defaults = {("coordinator", "gestion"): 3, ("coordinator", "jeunesse"): 2}
    specific = {("coordinator", "gestion"): 4, ("coordinator", "jeunesse"): 0}
    assert rules.requirements_in_force(defaults, specific) == {("coordinator", "gestion"): 4}


@given(REQUIRED, PEOPLE, HELD, st.integers(1, 5), CODES, LEVEL)
def test_raising_a_held_level_never_adds_a_gap(
    required: dict, people: list, held: dict, person: int, code: str, raise_by: int
) -> None:
    before = set(rules.gaps(required, people, held))
    levels = dict(held.get(person, {}))
    levels[code] = min(rules.MAX_LEVEL, levels.get(code, 0) + raise_by)
    after = rules.gaps(required, people, {**held, person: levels})
    keys_before = {(g.person_id, g.role, g.competence) for g in before}
    assert {(g.person_id, g.role, g.competence) for g in after} <= keys_before


@given(REQUIRED, PEOPLE, HELD)
def test_every_gap_is_a_requirement_of_the_role_not_met(
    required: dict, people: list, held: dict
) -> None:
    for gap in rules.gaps(required, people, held):
        assert required[(gap.role, gap.competence)] == gap.required
        assert Person(gap.person_id, gap.role) in people
        assert gap.held < gap.required
        assert gap.held == held.get(gap.person_id, {}).get(gap.competence, 0)


@given(PEOPLE, HELD)
def test_nothing_required_means_no_gap(people: list, held: dict) -> None:
    assert rules.gaps({}, people, held) == []


@given(REQUIRED, PEOPLE)
def test_holding_the_top_level_everywhere_means_no_gap(required: dict, people: list) -> None:
    everything = {p.person_id: {code: rules.MAX_LEVEL for _r, code in required} for p in people}
    assert rules.gaps(required, people, everything) == []


@given(st.one_of(st.none(), LEVEL), LEVEL)
def test_training_never_lowers_a_level(current: int | None, reached: int) -> None:
    after = rules.level_after_training(current, reached)
    assert after >= (current or 0) and after >= reached


@given(st.dates(date(2000, 1, 1), date(2100, 1, 1)), st.integers(-30, 30))
def test_starts_within_a_week(today: date, offset: int) -> None:
    assert rules.starts_within(today + timedelta(days=offset), today, 7) == (0 <= offset <= 7)
