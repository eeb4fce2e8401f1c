"""The demo plan and structures: loaded with the whole demo, idempotent, adopted (and a
revision prepared) once the board has an adoption decision, the delegation recorded once
the board has a delegation decision."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from sharaka import demo
from sharaka.directory.models import Organization, Person
from sharaka.partnerships.models import Partnership
from sharaka.planning import demo as planning_demo
from sharaka.planning import selectors
from sharaka.planning.models import Activity, PlanVersion
from sharaka.structure import demo as structure_demo
from sharaka.structure.models import Asset, Delegation, ManagementStructure, StaffAssignment
from tests.planning.conftest import make_decision

pytestmark = pytest.mark.django_db


def _context() -> demo.DemoContext:
    return demo.DemoContext(
        organizations={o.name: o for o in Organization.objects.all()},
        people={p.last_name: p for p in Person.objects.all()},
        partnerships={p.slug: p for p in Partnership.objects.all()},
        users={u.username: u for u in get_user_model().objects.all()},
    )


def _counts() -> tuple[int, ...]:
    return (
        PlanVersion.objects.count(),
        Activity.objects.count(),
        StaffAssignment.objects.count(),
        Asset.objects.count(),
        Delegation.objects.count(),
    )


def test_demo_plan_and_structures() -> None:
    demo.load_demo()
    sports = Partnership.objects.get(slug="complexe-sportif")
    version = PlanVersion.objects.get(plan__partnership=sports, number=1)
    codes = sorted(Activity.objects.filter(version=version).values_list("code", flat=True))
    assert len(codes) == 12 and codes[0] == "A1.1" and codes[-1] == "A4.3"
    kinds = dict(ManagementStructure.objects.values_list("partnership__slug", "kind"))
    assert kinds == {
        "complexe-sportif": "project_team",
        "programme-emploi-jeunes": "associative",
        "base-de-plein-air": "light",
    }
    roles = set(
        StaffAssignment.objects.filter(structure__partnership=sports).values_list("role", flat=True)
    )
    assert {"director", "seconded_official", "team_member"} <= roles
    jobs = StaffAssignment.objects.filter(structure__partnership__slug="programme-emploi-jeunes")
    assert jobs.filter(role="volunteer").count() == 3

    before = _counts()
    context = _context()
    planning_demo.load(context)
    structure_demo.load(context)
    assert _counts() == before  # idempotent

    adopted_before = version.status == "adopted"
    if not adopted_before:  # the meetings demo recorded no adoption decision: a draft
        assert selectors.plan_in_force_get(partnership=sports) is None
        make_decision(sports, "action_plan_adoption", on=timezone.localdate() - timedelta(days=45))
        planning_demo.load(context)
    version.refresh_from_db()
    assert version.status == "adopted"
    assert selectors.plan_in_force_get(partnership=sports) == version
    draft = PlanVersion.objects.get(plan__partnership=sports, number=2)
    assert draft.status == "draft"
    assert Activity.objects.filter(version=draft, code="A2.4").exists()

    jobs_partnership = Partnership.objects.get(slug="programme-emploi-jeunes")
    if not Delegation.objects.exists():
        make_decision(jobs_partnership, "delegation")
        structure_demo.load(context)
    delegation = Delegation.objects.get()
    assert delegation.delegate.name == "Association Jeunesse et Emploi"
    assert delegation.decision.kind == "delegation"
    after = _counts()
    planning_demo.load(context)
    structure_demo.load(context)
    assert _counts() == after
