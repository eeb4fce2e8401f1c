"""What the lifecycle needs from the apps above it (``core.ports``): the facts its
conditions look at (``rules.Facts``), each provided by the app that owns it.

- ``board_facts``: (composed, balanced) of the board, from ``governance``;
- ``convention_signed``: whether one signed version has a signatory for every party's
  organisation, from ``conventions``;
- ``plan_adopted``: whether a version of an action plan is adopted, from ``planning``;
- ``decision_numbers``: the numbers of the board's recorded decisions, from ``meetings``;
- ``deliberations_recorded``: whether every public party (the authorities among the
  parties) has its council deliberation approving the current signed convention version,
  transmitted and cleared by the oversight (law 113-14 arts 92, 116-118), from
  ``conventions``;
- ``closure_facts``: (the recorded ground of termination or "", every wind-down item
  closed, the final accounts approved), from ``closure``.

And what the partnership, board and meeting pages show of a fact owned above them:

- ``conflicts_of_interest``: the elected members of an authority party to the partnership
  who sit on the bureau of an association party to it, declared or not (law 113-14 art.
  65), from ``partners`` (ADR 0030).

And what the public portal page shows of the facts owned above it:

- ``public_summary``: the public parts of a published partnership's page (board and
  women's share, published decisions, convention in force, plan and execution, indicators,
  grants, the communication plan's public actions), rendered as HTML, from ``opendata``.

Each provider runs a fixed number of queries (``tests/partnerships/test_conditions.py``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Protocol

from sharaka.core.ports import Port
from sharaka.partnerships.models import Partnership


class BoardFactsSource(Protocol):
    def __call__(self, partnership: Partnership) -> tuple[bool, bool]: ...


class ConventionSignedSource(Protocol):
    def __call__(self, partnership: Partnership, organization_ids: frozenset[int]) -> bool: ...


class PlanAdoptedSource(Protocol):
    def __call__(self, partnership: Partnership) -> bool: ...


class DecisionNumbersSource(Protocol):
    def __call__(self, partnership: Partnership) -> frozenset[str]: ...


class DeliberationsSource(Protocol):
    def __call__(self, partnership: Partnership, authority_ids: frozenset[int]) -> bool: ...


class ClosureFactsSource(Protocol):
    def __call__(self, partnership: Partnership) -> tuple[str, bool, bool]: ...


board_facts: Port[BoardFactsSource] = Port("lifecycle: board composed and balanced")
convention_signed: Port[ConventionSignedSource] = Port("lifecycle: convention signed")
plan_adopted: Port[PlanAdoptedSource] = Port("lifecycle: action plan adopted")
decision_numbers: Port[DecisionNumbersSource] = Port("lifecycle: board decisions")
deliberations_recorded: Port[DeliberationsSource] = Port("lifecycle: council deliberations")
closure_facts: Port[ClosureFactsSource] = Port("lifecycle: termination and wind-down")


@dataclass(frozen=True)
class ConflictLine:
    """An elected member of ``authority`` on the bureau of ``association``: declared (the
    declaration's date) or not yet (``declared_at`` None)."""

    person_id: int
    person: str
    authority_id: int
    authority: str
    association_id: int
    association: str
    declared_at: dt.datetime | None = None

    @property
    def declared(self) -> bool:
        return self.declared_at is not None


class ConflictsSource(Protocol):
    def __call__(self, partnership: Partnership) -> list[ConflictLine]: ...


conflicts_of_interest: Port[ConflictsSource] = Port("conflicts of interest (law 113-14 art. 65)")


class PublicSummarySource(Protocol):
    def __call__(self, partnership: Partnership, request: Any) -> str: ...


public_summary: Port[PublicSummarySource] = Port("portal: the public summary of a partnership")
