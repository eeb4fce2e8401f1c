"""Fixtures of the convention tests: a complete draft on partnership A, signed versions."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from sharaka.conventions import services
from sharaka.conventions.models import ConventionVersion
from sharaka.directory.models import AUTHORITY_KINDS, Organization
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


def record_cleared_deliberations(
    by: Any, version: ConventionVersion, *, session: date = date(2024, 12, 2)
) -> None:
    """Record, for each public party without one, a council deliberation approving
    ``version``, transmitted and cleared by the governor: what entry into force needs."""
    parties = Party.objects.filter(
        partnership=version.convention.partnership, organization__kind__in=AUTHORITY_KINDS
    ).exclude(deliberations__version=version)
    for party in parties:
        services.deliberation_record(by=by, party=party, fields={
            "version": version, "number": f"D-{party.pk}-{version.number}",
            "session_date": session, "transmitted_on": session, "oversight": "no_objection",
        })  # fmt: skip


def put_in_force(
    by: Any, version: ConventionVersion, *, effective_date: date | None = None
) -> ConventionVersion:
    """Clear the public parties' deliberations, then put the signed ``version`` in force."""
    record_cleared_deliberations(by, version)
    return services.version_transition(
        by=by, version=version, to_status="in_force", effective_date=effective_date
    )


@pytest.fixture
def in_force(world: World, draft: ConventionVersion) -> ConventionVersion:
    sign(world, draft)
    return put_in_force(world.officer, draft)


@pytest.fixture
def signed(world: World, draft: ConventionVersion) -> ConventionVersion:
    """Version 0 signed, not yet in force: its deliberations are still to record."""
    return sign(world, draft)
