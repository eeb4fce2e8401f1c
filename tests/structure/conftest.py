"""Fixtures of the management structure tests: partnership A with an association partner
and a project-team structure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from sharaka.partnerships.models import Party, PartyRole
from sharaka.structure import services
from sharaka.structure.models import ManagementStructure, StaffAssignment
from tests.conftest import World
from tests.factories import AssociationFactory, PersonFactory


@dataclass
class StructureWorld:
    w: World
    structure: ManagementStructure
    association: Any
    commune: Any

    def staff(
        self,
        person: Any = None,
        share: str = "100",
        start: date = date(2025, 1, 1),
        end: date | None = None,
        role: str = "team_member",
        **extra: Any,
    ) -> StaffAssignment:
        fields: dict[str, Any] = {
            "person": person or PersonFactory(),
            "role": role,
            "origin_organization": self.commune,
            "time_share": Decimal(share),
            "start_date": start,
            "end_date": end,
        }
        fields.update(extra)
        return services.staff_add(by=self.w.coordinator, structure=self.structure, fields=fields)


@pytest.fixture
def sw(world: World) -> StructureWorld:
    association = AssociationFactory(name="Association Alpha")
    Party.objects.create(partnership=world.a, organization=association, role=PartyRole.PARTNER)
    structure = services.structure_set(
        by=world.coordinator,
        partnership=world.a,
        fields={"kind": "project_team", "description": "Une équipe"},
    )
    return StructureWorld(
        w=world, structure=structure, association=association, commune=world.a.lead_authority
    )
