"""Pure rules of people's competences (no Django import): the requirements in force for a
role, the gaps between what a role requires and what its people hold, the level a completed
training session leaves, the dates of a session.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

#: Levels: 1 notions, 2 practice, 3 mastery, 4 expertise.
MIN_LEVEL = 1
MAX_LEVEL = 4

#: (role, competence code) -> required level
Requirements = Mapping[tuple[str, str], int]


@dataclass(frozen=True, order=True)
class Person:
    """A key person of the partnership in one role (the same person may hold two roles)."""

    person_id: int
    role: str


@dataclass(frozen=True, order=True)
class Gap:
    person_id: int
    role: str
    competence: str
    required: int
    held: int  # 0: not held at all

    @property
    def missing(self) -> int:
        return self.required - self.held


def requirements_in_force(
    defaults: Requirements, specific: Requirements
) -> dict[tuple[str, str], int]:
    """The partnership's own requirement for a (role, competence) replaces the default one;
    a level of 0 set by the partnership removes the default requirement."""
    merged = dict(defaults)
    merged.update(specific)
    return {key: level for key, level in merged.items() if level >= MIN_LEVEL}


def gaps(
    required: Requirements,
    people: Iterable[Person],
    held: Mapping[int, Mapping[str, int]],
) -> list[Gap]:
    """Every (person, role, competence) whose held level is below the level the role
    requires, in person, role, competence order."""
    by_role: dict[str, list[tuple[str, int]]] = {}
    for (role, competence), level in required.items():
        by_role.setdefault(role, []).append((competence, level))
    found: list[Gap] = []
    for person in sorted(set(people)):
        levels = held.get(person.person_id, {})
        for competence, level in by_role.get(person.role, ()):
            have = levels.get(competence, 0)
            if have < level:
                found.append(Gap(person.person_id, person.role, competence, level, have))
    return sorted(found)


def level_after_training(current: int | None, reached: int) -> int:
    """A completed session raises a held level to the level it reaches, never lowers it."""
    return max(current or 0, reached)


def dates_ordered(start: date, end: date | None) -> bool:
    return end is None or end >= start


def starts_within(start: date, today: date, days: int) -> bool:
    """The session starts today or within ``days`` days."""
    return 0 <= (start - today).days <= days
