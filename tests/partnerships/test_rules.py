"""The lifecycle table: pure, no database."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from sharaka.partnerships.rules import PUBLISHED, TRANSITIONS, Status, allowed_next, is_allowed

EXPECTED_EDGES = {
    (Status.DRAFT, Status.NEGOTIATION),
    (Status.NEGOTIATION, Status.ACTIVE),
    (Status.NEGOTIATION, Status.DRAFT),
    (Status.ACTIVE, Status.SUSPENDED),
    (Status.SUSPENDED, Status.ACTIVE),
    (Status.ACTIVE, Status.TERMINATING),
    (Status.SUSPENDED, Status.TERMINATING),
    (Status.TERMINATING, Status.TERMINATED),
}


def test_the_table_is_exactly_the_documented_lifecycle() -> None:
    edges = {(a, b) for a, targets in TRANSITIONS.items() for b in targets}
    assert edges == EXPECTED_EDGES


def test_terminated_is_final_and_draft_is_not_published() -> None:
    assert allowed_next(Status.TERMINATED) == frozenset()
    assert Status.DRAFT not in PUBLISHED
    assert Status.NEGOTIATION not in PUBLISHED


@given(st.lists(st.sampled_from(list(Status)), max_size=30))
def test_following_only_allowed_moves_never_leaves_the_table(requests: list[Status]) -> None:
    state = Status.DRAFT
    visited = [state]
    for target in requests:
        if is_allowed(state, target):
            state = target
            visited.append(state)
    for before, after in itertools.pairwise(visited):
        assert (before, after) in EXPECTED_EDGES


@given(st.sampled_from(list(Status)), st.sampled_from(list(Status)))
def test_no_status_moves_to_itself(a: Status, b: Status) -> None:
    if a == b:
        assert not is_allowed(a, b)
