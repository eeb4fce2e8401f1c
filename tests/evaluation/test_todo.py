"""Measurements to validate on the home page's to-do list."""

from __future__ import annotations

import datetime as dt

import pytest

from sharaka.core.todo import todo_for
from sharaka.evaluation import services
from sharaka.evaluation.todo import measurements_to_validate
from tests.evaluation.conftest import EvalWorld

TODAY = dt.date(2026, 12, 7)


def test_validators_see_the_waiting_measurements_of_the_partnership(ew: EvalWorld) -> None:
    ew.measure(ew.count, "110")
    ew.measure(ew.energy, "990")
    for user in (ew.w.auditor, ew.w.officer):
        [item] = measurements_to_validate(user, TODAY)
        assert item.label.startswith("2 mesures à valider") and ew.w.a.slug in item.url
    assert any(i.source == "evaluation.measurements" for i in todo_for(ew.w.auditor, today=TODAY))


def test_nothing_once_validated(ew: EvalWorld) -> None:
    row = ew.measure(ew.count, "110")
    services.measurement_validate(by=ew.w.auditor, measurement=row)
    assert measurements_to_validate(ew.w.officer, TODAY) == []


@pytest.mark.parametrize("role", ["coordinator", "board_member", "other_officer", "outsider"])
def test_who_may_not_validate_is_not_asked_to(ew: EvalWorld, role: str) -> None:
    """The coordinator entered them; the others may not validate."""
    ew.measure(ew.count, "110")
    assert measurements_to_validate(ew.w.user(role), TODAY) == []


def test_fixed_number_of_queries(ew: EvalWorld, django_assert_max_num_queries) -> None:
    for value in ("101", "102", "103"):
        ew.measure(ew.count, value)
    with django_assert_max_num_queries(2):
        [item] = measurements_to_validate(ew.w.auditor, TODAY)
    assert item.label.startswith("3 mesures")
