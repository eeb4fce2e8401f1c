"""Tacit renewal by the daily expiry job, and the officers' expiry warnings (to-do items
90 and 30 days before the term): who sees them, fixed queries."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sharaka.closure import rules, selectors, services, todo
from sharaka.closure.models import Renewal, Termination
from sharaka.conventions import services as convention_services
from sharaka.conventions.models import ConventionVersion
from sharaka.core import todo as core_todo
from sharaka.core.errors import DomainError
from sharaka.core.immutable import ImmutableError
from tests.conftest import World
from tests.conventions.conftest import draft, partner, put_in_force, sign  # noqa: F401

pytestmark = pytest.mark.django_db


def _active(world: World, version: ConventionVersion, **duration: object) -> None:
    if duration:
        clause = version.clauses.get(code="duration")
        convention_services.clause_update(by=world.officer, clause=clause, merge=True,
                                          params=duration)  # fmt: skip
    sign(world, version)  # in force from 2025-01-01, 3 years
    put_in_force(world.officer, version)
    type(world.a).objects.filter(pk=world.a.pk).update(status="active")
    world.a.refresh_from_db()


def test_rules_of_renewal_and_warnings() -> None:
    assert rules.convention_end(date(2025, 1, 1), 3, "tacit", 2) == date(2028, 1, 1)
    assert rules.convention_end(date(2025, 1, 1), 3, "tacit", 2, 2) == date(2032, 1, 1)
    assert rules.convention_end(date(2025, 1, 1), 3, "none", 2, 2) == date(2028, 1, 1)
    assert rules.renews("tacit", 2) and not rules.renews("tacit", None)
    assert not rules.renews("none", 2)
    end = date(2028, 1, 1)
    assert rules.expiry_warning(end, date(2027, 10, 2)) == ""  # 91 days
    assert rules.expiry_warning(end, date(2027, 10, 3)) == "info"  # 90 days
    assert rules.expiry_warning(end, date(2027, 12, 2)) == "soon"  # 30 days
    assert rules.expiry_warning(end, end) == "" and rules.expiry_warning(None, end) == ""


def test_tacit_renewal_instead_of_termination(world: World, draft: ConventionVersion) -> None:  # noqa: F811
    _active(world, draft, renewal="tacit", renewal_years=2)
    assert selectors.convention_end_get(partnership=world.a) == date(2028, 1, 1)
    assert services.expire_due(today=date(2027, 12, 31)) == []
    assert services.expire_due(today=date(2028, 1, 1)) == []
    renewal = Renewal.objects.get(partnership=world.a)
    assert (renewal.renewed_on, renewal.previous_end, renewal.new_end, renewal.years) == (
        date(2028, 1, 1), date(2028, 1, 1), date(2030, 1, 1), 2,
    )  # fmt: skip
    world.a.refresh_from_db()
    assert world.a.status == "active" and not Termination.objects.exists()
    assert selectors.convention_end_get(partnership=world.a) == date(2030, 1, 1)
    assert services.expire_due(today=date(2028, 1, 2)) == []
    assert Renewal.objects.count() == 1  # once per period
    # a job that did not run for years renews period by period
    services.expire_due(today=date(2033, 6, 1))
    assert list(Renewal.objects.values_list("new_end", flat=True)) == [
        date(2030, 1, 1), date(2032, 1, 1), date(2034, 1, 1),
    ]  # fmt: skip
    with pytest.raises((ImmutableError, DomainError)):
        renewal.delete()


def test_without_tacit_renewal_the_term_starts_termination(
    world: World,
    draft: ConventionVersion,  # noqa: F811
) -> None:
    _active(world, draft)
    assert services.expire_due(today=date(2028, 1, 1)) == [world.a.slug]
    assert not Renewal.objects.exists()


def _labels(user: object, day: date) -> list[tuple[str, str]]:
    return [(i.urgency.value, i.label) for i in todo.expiry_todo(user, day)]  # type: ignore[arg-type]


def test_officers_are_told_90_then_30_days_before(world: World, draft: ConventionVersion) -> None:  # noqa: F811
    _active(world, draft)
    assert "closure.expiry" in core_todo.providers()
    assert _labels(world.officer, date(2027, 10, 2)) == []
    [(urgency, label)] = _labels(world.officer, date(2027, 10, 3))
    assert urgency == "info" and "01/01/2028" in label and world.a.title in label
    assert _labels(world.coordinator, date(2027, 12, 2))[0][0] == "soon"
    for role in ("other_officer", "auditor", "board_member", "admin"):
        assert _labels(world.user(role), date(2027, 12, 2)) == [], role
    assert _labels(world.officer, date(2028, 1, 1)) == []  # the job takes over on the day


def test_tacit_renewal_is_announced(world: World, draft: ConventionVersion) -> None:  # noqa: F811
    _active(world, draft, renewal="tacit", renewal_years=2)
    [(_, label)] = _labels(world.officer, date(2027, 12, 2))
    assert "reconduite tacitement le 01/01/2028" in label


def test_fixed_queries(world: World, draft: ConventionVersion) -> None:  # noqa: F811
    _active(world, draft)
    officer = world.user("officer")
    with CaptureQueriesContext(connection) as one:
        todo.expiry_todo(officer, date(2027, 12, 2))
    b = world.b
    type(b).objects.filter(pk=b.pk).update(status="active", end_date=date(2027, 12, 20),
                                           lead_authority=world.a.lead_authority)  # fmt: skip
    officer = world.user("officer")
    with CaptureQueriesContext(connection) as two:
        items = todo.expiry_todo(officer, date(2027, 12, 2))
    assert len(items) == 2 and len(one) == len(two) <= 6
