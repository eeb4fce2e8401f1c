"""Fixtures of people's competences: partnership A's structure with a coordinator and a
facilitator, two competences, default requirements for the coordinator's role."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from sharaka.competences.models import Competence, Holding, Requirement
from tests.factories import PersonFactory
from tests.structure.conftest import StructureWorld, sw  # noqa: F401 (a fixture)


@dataclass
class CompetenceWorld:
    sw: StructureWorld
    coordinator: Any  # Person, role coordinator
    facilitator: Any  # Person, role facilitator
    management: Competence
    youth: Competence

    @property
    def w(self) -> Any:
        return self.sw.w


@pytest.fixture
def cw(sw: StructureWorld) -> CompetenceWorld:  # noqa: F811
    coordinator = PersonFactory(first_name="Samira", last_name="Alaoui")
    facilitator = PersonFactory(first_name="Youssef", last_name="Bennani")
    sw.staff(coordinator, role="coordinator")
    sw.staff(facilitator, role="facilitator", share="50")
    management = Competence.objects.create(
        code="gestion", label_fr="Gestion d'équipement", label_ar="تدبير المرافق"
    )
    youth = Competence.objects.create(code="jeunesse", label_fr="Animation jeunesse")
    Requirement.objects.create(role="coordinator", competence=management, level=3)
    Requirement.objects.create(role="facilitator", competence=youth, level=2)
    Holding.objects.create(person=coordinator, competence=management, level=2)
    Holding.objects.create(person=facilitator, competence=youth, level=3)
    return CompetenceWorld(sw, coordinator, facilitator, management, youth)
