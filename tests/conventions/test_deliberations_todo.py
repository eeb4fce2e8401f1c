"""The deliberations' to-do items: the authority's officers only, waiting ones, one query."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sharaka.conventions import services
from sharaka.conventions.models import ConventionVersion
from sharaka.conventions.todo import deliberations_todo
from sharaka.core import todo
from tests.conftest import World
from tests.conventions.test_deliberations import record

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 7, 20)


def test_waiting_deliberations_for_the_authoritys_officers(
    world: World, signed: ConventionVersion
) -> None:
    assert "conventions.deliberations" in todo.providers()
    deliberation = record(world, signed)  # session 2025-07-07: transmit by 2025-07-28
    officer = world.user("officer")
    with CaptureQueriesContext(connection) as queries:
        [item] = deliberations_todo(officer, TODAY)
    assert len(queries) <= 2  # the deliberations (+ the officer's grants)
    assert "Transmettre au gouverneur" in item.label and "D-2025-12" in item.label
    assert item.due_on == dt.date(2025, 7, 28) and item.urgency == "info"
    assert deliberations_todo(officer, dt.date(2025, 7, 29))[0].urgency == "overdue"
    for role in ("other_officer", "coordinator", "auditor", "admin"):
        assert deliberations_todo(world.user(role), TODAY) == [], role
    services.deliberation_update(by=world.officer, deliberation=deliberation,
                                 fields={"transmitted_on": dt.date(2025, 7, 21)})  # fmt: skip
    [item] = deliberations_todo(officer, dt.date(2025, 7, 22))
    assert "Réponse de la tutelle" in item.label and item.urgency == "soon"
    assert deliberations_todo(officer, dt.date(2025, 8, 30)) == []  # the window is over
    services.deliberation_update(by=world.officer, deliberation=deliberation,
                                 fields={"oversight": "no_objection"})  # fmt: skip
    assert deliberations_todo(officer, dt.date(2025, 7, 22)) == []
