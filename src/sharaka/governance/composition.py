"""From the seats a board has to the seats a user asks for: a plan of changes. Pure Python.

The what-if simulator and its "apply" button both go through :func:`plan`: a target is a
number of seats per *group* (organisation, college, voting or advisory). The plan keeps as
many existing seats as possible (occupied ones first), moves a seat to another college or
voting status of the same organisation rather than abolishing one and creating another,
creates the missing seats, and abolishes the vacant ones left over. An occupied seat left
over is *blocked*: its mandate has to end first (a mandate is never ended implicitly).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Group:
    """Seats of one organisation (``None``: independent experts) in one college."""

    organization_id: int | None
    college: str
    voting: bool

    @property
    def sort_key(self) -> tuple[bool, int, str, bool]:
        return (
            self.organization_id is None,
            self.organization_id or 0,
            self.college,
            not self.voting,
        )


@dataclass(frozen=True)
class SeatState:
    """An existing seat as the planner and the simulator see it."""

    id: int
    group: Group
    occupied: bool = False
    expert: bool = False  # an expert seat (an expertise is set) never votes
    gender: str = "x"  # the holder's gender; "x" when vacant or not stated
    chair: bool = False
    holder: str = ""  # the holder's name, to explain a blocked seat


@dataclass(frozen=True)
class Plan:
    keep: tuple[int, ...] = ()
    move: tuple[tuple[int, Group], ...] = ()  # seat id -> its new group
    create: tuple[tuple[Group, int], ...] = ()  # group -> number of new seats
    abolish: tuple[int, ...] = ()  # vacant seats that go
    blocked: tuple[SeatState, ...] = ()  # occupied seats that would have to go

    @property
    def changed(self) -> bool:
        return bool(self.move or self.create or self.abolish or self.blocked)

    @property
    def created_count(self) -> int:
        return sum(n for _group, n in self.create)


def counts_of(seats: Iterable[SeatState]) -> dict[Group, int]:
    counts: dict[Group, int] = {}
    for seat in seats:
        counts[seat.group] = counts.get(seat.group, 0) + 1
    return counts


def plan(current: Sequence[SeatState], target: Mapping[Group, int]) -> Plan:
    """The changes that turn ``current`` into ``target`` (see the module docstring)."""
    if any(n < 0 for n in target.values()):
        raise ValueError("a seat count cannot be negative")
    organizations = sorted(
        {s.group.organization_id for s in current} | {g.organization_id for g in target},
        key=lambda org: (org is None, org or 0),
    )
    keep: list[int] = []
    move: list[tuple[int, Group]] = []
    create: list[tuple[Group, int]] = []
    abolish: list[int] = []
    blocked: list[SeatState] = []
    for organization in organizations:
        seats = sorted(
            (s for s in current if s.group.organization_id == organization),
            key=lambda s: (not s.occupied, s.id),
        )
        remaining = {
            g: n
            for g, n in sorted(target.items(), key=lambda item: item[0].sort_key)
            if g.organization_id == organization and n
        }
        leftovers: list[SeatState] = []
        for seat in seats:
            if remaining.get(seat.group, 0) > 0:
                remaining[seat.group] -= 1
                keep.append(seat.id)
            else:
                leftovers.append(seat)
        for seat in leftovers:
            destination = _destination(seat, remaining)
            if destination is not None:
                remaining[destination] -= 1
                move.append((seat.id, destination))
            elif seat.occupied:
                blocked.append(seat)
            else:
                abolish.append(seat.id)
        create.extend((g, n) for g, n in remaining.items() if n > 0)
    return Plan(
        keep=tuple(keep),
        move=tuple(move),
        create=tuple(create),
        abolish=tuple(abolish),
        blocked=tuple(blocked),
    )


def _destination(seat: SeatState, remaining: Mapping[Group, int]) -> Group | None:
    """Where a left-over seat can go: same voting status first; an expert seat never votes."""
    candidates = [g for g, n in remaining.items() if n > 0 and not (seat.expert and g.voting)]
    candidates.sort(key=lambda g: (g.voting != seat.group.voting, g.college))
    return candidates[0] if candidates else None


@dataclass(frozen=True)
class SimulatedSeat:
    key: str  # "s<id>" for an existing seat, "new<n>" for a seat the plan creates
    group: Group
    gender: str = "x"
    chair: bool = False
    new: bool = False


def simulate(current: Sequence[SeatState], target: Mapping[Group, int]) -> list[SimulatedSeat]:
    """The seats the board would have: kept and moved seats keep their holder, new ones are
    vacant; blocked seats are left out (the composition the user asked for)."""
    result_plan = plan(current, target)
    by_id = {s.id: s for s in current}
    seats = [_simulated(by_id[i]) for i in result_plan.keep]
    seats += [replace(_simulated(by_id[i]), group=g) for i, g in result_plan.move]
    number = 0
    for group, count in result_plan.create:
        for _n in range(count):
            number += 1
            seats.append(SimulatedSeat(key=f"new{number}", group=group, new=True))
    return seats


def _simulated(seat: SeatState) -> SimulatedSeat:
    return SimulatedSeat(key=f"s{seat.id}", group=seat.group, gender=seat.gender, chair=seat.chair)
