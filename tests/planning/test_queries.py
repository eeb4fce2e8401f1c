"""The plan page and the plan export keep a fixed number of queries as the plan grows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sharaka.planning import services
from sharaka.structure import services as structure_services
from tests.planning.conftest import PlanWorld, make_decision

pytestmark = pytest.mark.django_db


def _grow(pw: PlanWorld, count: int) -> None:
    existing = pw.version.activities.count()
    for index in range(existing, existing + count):
        activity = pw.activity(
            f"A{index // 9 + 1}.{index % 9 + 1}", responsible_organization=pw.association
        )
        pw.line(activity, "staff", "", {2025: Decimal(100), 2026: Decimal(200)})
        pw.line(activity, "equipment", "", {2027: Decimal(300)})


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("route", ["planning:plan", "export_csv", "print"])
def test_fixed_query_count(pw: PlanWorld, client_for: Any, route: str) -> None:
    decision = make_decision(pw.w.a, "delegation")
    _grow(pw, 3)
    structure_services.delegation_create(
        by=pw.w.coordinator,
        partnership=pw.w.a,
        fields={
            "delegate": pw.association,
            "decision": decision,
            "scope": "Tout",
            "start_date": date(2025, 1, 1),
            "reporting_duty": "Rapport",
        },
        activities=list(pw.version.activities.all()[:2]),
    )
    client = client_for("coordinator")
    slug = pw.w.a.slug
    if route == "planning:plan":
        url = reverse(route, args=[slug])
    else:
        url = reverse(f"planning:{route}", args=[slug, pw.plan.pk, 1])
    client.get(url)  # warm caches (session, content types)
    small = _count(client, url)
    _grow(pw, 27)
    services.objective_create(by=pw.w.coordinator, version=pw.version, fields={"title": "O2"})
    assert pw.version.activities.count() == 30
    assert _count(client, url) == small
