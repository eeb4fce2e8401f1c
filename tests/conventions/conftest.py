"""Fixtures of the convention tests: a complete draft on partnership A, signed versions."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from sharaka.conventions import services
from sharaka.conventions.models import ConventionVersion
from sharaka.directory.models import Organization
from sharaka.partnerships.models import Party, PartyRole
from tests.conftest import World
from tests.factories import AssociationFactory, PersonFactory


@pytest.fixture
def partner(world: World) -> Organization:
    """An association partner of A: with the lead authority, a balanced two-party board."""
    org: Organization = AssociationFactory(name="Association Alpha")
    Party.objects.create(partnership=world.a, organization=org, role=PartyRole.PARTNER)
    return org


@pytest.fixture
def draft(world: World, partner: Organization) -> ConventionVersion:
    """Version 0 of A's convention, drafted from the catalogue: complete as drafted."""
    convention = services.convention_create(by=world.officer, partnership=world.a)
    return convention.versions.get(number=0)


def add_signatory(world: World, version: ConventionVersion) -> Any:
    person = PersonFactory(organization=world.a.lead_authority)
    return services.signatory_add(
        by=world.officer,
        version=version,
        organization=world.a.lead_authority,
        person=person,
        capacity="Président du conseil communal",
        mandate_reference="Délibération n° 12",
    )


def sign(
    world: World,
    version: ConventionVersion,
    *,
    on: date = date(2024, 12, 16),
    effective: date | None = date(2025, 1, 1),
    with_signatory: bool = True,
) -> ConventionVersion:
    if with_signatory:
        add_signatory(world, version)
    if version.status == "draft":
        services.version_transition(by=world.officer, version=version,
                                    to_status="under_negotiation")  # fmt: skip
    return services.version_transition(by=world.officer, version=version, to_status="signed",
                                       on=on, effective_date=effective)  # fmt: skip


@pytest.fixture
def in_force(world: World, draft: ConventionVersion) -> ConventionVersion:
    sign(world, draft)
    return services.version_transition(by=world.officer, version=draft, to_status="in_force")
