"""The demo's information requests: five, one in each state the issue names, the decisions
posted (the oldest late), and the 2026 and 2027 holidays of the demo communes; loading twice
changes nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from sharaka.directory.models import Holiday
from sharaka.partnerships.demo import DemoContext
from sharaka.transparency import demo
from sharaka.transparency.models import (
    CommunicationAction,
    DecisionPosting,
    InformationRequest,
    RegisterEntry,
)
from tests.conftest import World
from tests.planning.conftest import make_decision

pytestmark = pytest.mark.django_db


def test_five_requests_in_every_state_and_two_years_of_holidays(world: World) -> None:
    today = timezone.localdate()
    for days_ago in (30, 20, 2):
        make_decision(world.a, "other", on=today - timedelta(days=days_ago))
    context = DemoContext(
        organizations={
            "Commune d'Oued Zitoune": world.a.lead_authority,
            "Commune de Tizgui": world.b.lead_authority,
        },
        people={},
        partnerships={"complexe-sportif": world.a},
        users={"agent.oz": world.officer},
    )
    demo.load(context)
    demo.load(context)
    postings = list(DecisionPosting.objects.order_by("posted_on", "id"))
    assert len(postings) == 3 and [p.late for p in postings] == [True, False, False]
    assert all(p.proof and p.posted_on <= today for p in postings)
    actions = CommunicationAction.objects.filter(partnership=world.a)
    assert actions.count() == len(demo.PLAN) == 8
    assert {a.status for a in actions} == {"done", "planned", "cancelled"}
    assert RegisterEntry.objects.filter(partnership=world.a).count() == len(demo.REGISTER)
    requests = list(InformationRequest.objects.order_by("sequence"))
    assert len(requests) == 5
    late = [r for r in requests if r.is_open and r.due_on < today]
    assert len(late) == 1
    assert any(r.outcome == "refused" and r.ground and r.complaint_answered_on for r in requests)
    assert any(r.status == "extended" and r.due_on >= today for r in requests)
    assert any(r.urgent and r.is_open for r in requests)
    assert any(r.outcome == "granted" and r.answered_on <= r.due_on for r in requests)
    for authority in (world.a.lead_authority, world.b.lead_authority):
        days = set(
            Holiday.objects.filter(calendar__organization=authority).values_list("day", flat=True)
        )
        assert {date(2026, 11, 18), date(2027, 1, 11), date(2027, 7, 30)} <= days
        assert len(days) == len(demo.HOLIDAYS)
