"""Fixtures of the action plan tests: board decisions of partnership A (and B), a draft
plan with objectives, activities and budget lines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from sharaka.meetings import chain
from sharaka.meetings.models import (
    AgendaItem,
    ChainRecordType,
    Decision,
    Meeting,
    Motion,
    MotionStatus,
)
from sharaka.partnerships.models import Partnership, Party, PartyRole
from sharaka.planning import services
from sharaka.planning.models import ActionPlan, Activity, Objective, PlanVersion
from tests.conftest import World
from tests.factories import AssociationFactory

START, END = date(2025, 1, 1), date(2027, 12, 31)


def make_decision(
    partnership: Partnership, kind: str, *, on: date = date(2025, 3, 1), title: str = ""
) -> Decision:
    """A board decision as the meetings app records it (meeting, item, closed motion, hash
    chain), built directly: these tests are about what the plan does with it."""
    from sharaka.governance.models import Board

    with transaction.atomic():
        board, _ = Board.objects.get_or_create(partnership=partnership)
        at = timezone.make_aware(datetime.combine(on, time(10)))
        meeting = Meeting.objects.create(
            partnership=partnership, board=board, starts_at=at, status="minutes_signed"
        )
        item = AgendaItem.objects.create(
            meeting=meeting, position=1, kind="deliberation", title=title or kind
        )
        motion = Motion.objects.create(
            item=item,
            text=title or kind,
            decision_kind=kind,
            voting_mode="show_of_hands",
            status=MotionStatus.CLOSED,
            closed_at=at,
            adopted=True,
            outcome={},
        )
        sequence = Decision.objects.filter(partnership=partnership, year=on.year).count() + 1
        decision = Decision(
            partnership=partnership,
            year=on.year,
            sequence=sequence,
            number=f"CA-{on.year}-{sequence:03d}",
            meeting=meeting,
            item=item,
            motion=motion,
            kind=kind,
            title=title or kind,
            text="Le conseil décide.",
            decided_on=on,
            snapshot={},
            created_at=at,
        )
        chain.append(ChainRecordType.DECISION, decision, lambda: chain.decision_content(decision))
        decision.save()
        chain.link(ChainRecordType.DECISION, decision)
    return decision


@dataclass
class PlanWorld:
    w: World
    plan: ActionPlan
    version: PlanVersion
    objective: Objective
    association: Any

    def activity(self, code: str = "A1.1", **fields: Any) -> Activity:
        values: dict[str, Any] = {
            "objective": self.objective,
            "code": code,
            "title": f"Activité {code}",
            "start_date": date(2025, 2, 1),
            "end_date": date(2025, 6, 30),
        }
        values.update(fields)
        return services.activity_create(by=self.w.coordinator, version=self.version, fields=values)

    def line(
        self,
        activity: Activity,
        category: str = "staff",
        label: str = "",
        amounts: dict[int, Any] | None = None,
    ) -> Any:
        return services.budget_line_create(
            by=self.w.coordinator,
            activity=activity,
            fields={"category": category, "label": label},
            amounts=amounts if amounts is not None else {2025: Decimal("1000.00")},
        )

    def adopt(self, version: PlanVersion | None = None, on: date = date(2025, 3, 1)) -> Any:
        decision = make_decision(self.w.a, "action_plan_adoption", on=on)
        return services.plan_version_adopt(
            by=self.w.coordinator, version=version or self.version, decision=decision
        )


@pytest.fixture
def pw(world: World) -> PlanWorld:
    association = AssociationFactory(name="Association Alpha")
    Party.objects.create(partnership=world.a, organization=association, role=PartyRole.PARTNER)
    plan = services.plan_create(
        by=world.coordinator,
        partnership=world.a,
        fields={"title": "Plan 2025-2027", "period_start": START, "period_end": END},
    )
    version = plan.versions.get(number=1)
    objective = services.objective_create(
        by=world.coordinator, version=version, fields={"code": "O1", "title": "Ouvrir"}
    )
    return PlanWorld(
        w=world, plan=plan, version=version, objective=objective, association=association
    )
