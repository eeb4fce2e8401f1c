"""Partner selection by competences (M11), pure: no Django, nothing else of Sharaka.

A sector needs competences, each at a level (1 basic, 2 confirmed, 3 expert). An
organisation covers a requirement when it holds that competence at that level or above.
Its **coverage** is the share of the sector's requirements it covers; candidates are ranked
by coverage, then by admissibility (admissible, then not yet decided or no file, then not
admissible), then by id (a stable order the database pages by key). The **gaps** are the
requirements that no current party covers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import IntEnum
from fractions import Fraction

LEVELS = (1, 2, 3)


class Standing(IntEnum):
    """Admissibility with the authority, in ranking order (lower first)."""

    ADMISSIBLE = 0
    UNDECIDED = 1  # no file, or no decision yet
    NOT_ADMISSIBLE = 2


@dataclass(frozen=True)
class Requirement:
    competence: str
    level: int


@dataclass(frozen=True)
class Candidate:
    organization_id: int
    name: str
    held: Mapping[str, int]  # competence code -> level held
    standing: Standing = Standing.UNDECIDED


def covers(held: Mapping[str, int], requirement: Requirement) -> bool:
    return held.get(requirement.competence, 0) >= requirement.level


def coverage(requirements: Iterable[Requirement], held: Mapping[str, int]) -> Fraction:
    """The share of ``requirements`` that ``held`` covers (1 when nothing is required)."""
    needed = list(requirements)
    if not needed:
        return Fraction(1)
    return Fraction(sum(1 for r in needed if covers(held, r)), len(needed))


def pooled(helds: Iterable[Mapping[str, int]]) -> dict[str, int]:
    """What a set of organisations holds together: the best level of each competence."""
    together: dict[str, int] = {}
    for held in helds:
        for code, level in held.items():
            together[code] = max(together.get(code, 0), level)
    return together


def gaps(
    requirements: Iterable[Requirement], helds: Iterable[Mapping[str, int]]
) -> list[Requirement]:
    """The requirements no one of ``helds`` covers, in the requirements' order."""
    together = pooled(helds)
    return [r for r in requirements if not covers(together, r)]


def rank_key(
    requirements: Iterable[Requirement], candidate: Candidate
) -> tuple[Fraction, int, int]:
    return (
        -coverage(requirements, candidate.held), int(candidate.standing),
        candidate.organization_id,
    )  # fmt: skip


def ranked(requirements: Iterable[Requirement], candidates: Iterable[Candidate]) -> list[Candidate]:
    needed = list(requirements)
    return sorted(candidates, key=lambda c: rank_key(needed, c))


def fills(requirements: Iterable[Requirement], candidate: Candidate,
          current: Iterable[Mapping[str, int]]) -> list[Requirement]:  # fmt: skip
    """The gaps of the current parties that ``candidate`` would fill."""
    return [r for r in gaps(requirements, current) if covers(candidate.held, r)]
