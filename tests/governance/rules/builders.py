"""Small builders shared by the rules tests (pure values, no database)."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from sharaka.governance.rules import Attendance, Gender, Member, Method, Rule, Vote


def board(*spec: tuple[str, str, str], chair: str | None = None) -> list[Member]:
    """Members from ``(id, organization, college)``; all voting, gender x."""
    return [Member(id=i, organization=o, college=c, chair=i == chair) for i, o, c in spec]


def simple_board(n: int, *, chair: str | None = None) -> list[Member]:
    """``m1..mn``, each its own organisation, all in college ``c``."""
    return [
        Member(
            id=f"m{k}",
            organization=f"o{k}",
            college="c",
            chair=f"m{k}" == chair,
            gender=Gender.F if k % 2 else Gender.M,
        )
        for k in range(1, n + 1)
    ]


def present(*ids: str) -> dict[str, Attendance]:
    return {i: Attendance.present() for i in ids}


def votes(**by_member: str) -> Mapping[str, Vote]:
    return {member: Vote(vote) for member, vote in by_member.items()}


def rule(method: str, threshold: str | None = None, **kwargs: object) -> Rule:
    return Rule(
        method=Method(method),
        threshold=None if threshold is None else Fraction(threshold),
        **kwargs,  # type: ignore[arg-type]
    )
