"""Board fixtures: partnership A (of the ``world`` fixture) with parties and a board."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from sharaka.directory.models import Organization, Person
from sharaka.governance import services
from sharaka.governance.composition import Group
from sharaka.governance.models import Board, Seat
from sharaka.partnerships.models import Party, PartyRole
from tests.conftest import World
from tests.factories import AssociationFactory, CompanyFactory, PersonFactory

START = date(2025, 1, 1)


@dataclass
class BoardWorld:
    w: World
    board: Board
    commune: Organization  # A's lead authority
    association: Organization
    company: Organization

    def seats(self, organization: Organization | None, college: str | None = None) -> list[Seat]:
        seats = Seat.objects.filter(board=self.board, abolished_on__isnull=True).order_by("pk")
        if organization is None:
            seats = seats.filter(organization__isnull=True)
        else:
            seats = seats.filter(organization=organization)
        if college:
            seats = seats.filter(college__code=college)
        return list(seats)

    def seat(self, organization: Organization | None, index: int = 0) -> Seat:
        return self.seats(organization)[index]


def add_parties(world: World) -> tuple[Organization, Organization]:
    association = AssociationFactory(name="Association Alpha")
    company = CompanyFactory(name="Société Beta SARL")
    Party.objects.create(partnership=world.a, organization=association, role=PartyRole.PARTNER)
    Party.objects.create(partnership=world.a, organization=company, role=PartyRole.OPERATOR)
    return association, company


def default_target(commune: Any, association: Any, company: Any) -> dict[Group, int]:
    return {
        Group(commune.pk, "local_public", True): 2,
        Group(association.pk, "associative", True): 2,
        Group(company.pk, "private", True): 1,
        Group(None, "experts", False): 1,
    }


@pytest.fixture
def bw(world: World) -> BoardWorld:
    association, company = add_parties(world)
    commune = world.a.lead_authority
    board = services.board_create(
        by=world.admin,
        partnership=world.a,
        target=default_target(commune, association, company),
        established_on=START,
    )
    return BoardWorld(
        w=world, board=board, commune=commune, association=association, company=company
    )


@pytest.fixture
def woman() -> Person:
    return PersonFactory(first_name="Aïcha", last_name="Femme", gender="f")


@pytest.fixture
def man() -> Person:
    return PersonFactory(first_name="Ali", last_name="Homme", gender="m")
