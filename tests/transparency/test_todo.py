"""Information requests on the home page's to-do list: for those who answer them only, due
soon or overdue, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest

from sharaka.core.todo import Urgency
from sharaka.transparency.todo import requests_due
from tests.conftest import World
from tests.transparency.conftest import record

pytestmark = pytest.mark.django_db


def test_the_officer_and_the_coordinator_see_a_request_due_then_overdue(world: World) -> None:
    request = record(world)
    before = request.due_on - dt.timedelta(days=2)
    for user in (world.officer, world.coordinator):
        [item] = requests_due(user, before)
        assert item.urgency == Urgency.SOON and item.due_on == request.due_on
        assert request.number in item.label and f"/{request.pk}/" in item.url
    [late] = requests_due(world.officer, request.due_on + dt.timedelta(days=1))
    assert late.urgency == Urgency.OVERDUE


def test_nothing_long_before_the_due_date(world: World) -> None:
    request = record(world)
    assert requests_due(world.officer, request.due_on - dt.timedelta(days=30)) == []


@pytest.mark.parametrize("role", ["board_member", "auditor", "other_officer", "outsider"])
def test_who_does_not_answer_requests_is_not_asked_to(world: World, role: str) -> None:
    request = record(world)
    assert requests_due(world.user(role), request.due_on) == []


def test_fixed_number_of_queries(world: World, django_assert_max_num_queries) -> None:
    first = record(world)
    for _ in range(5):
        record(world)
    with django_assert_max_num_queries(2):
        items = requests_due(world.officer, first.due_on)
    assert len(items) == 6
