"""Two provinces, each with a commune leading one partnership, and their supervisors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from sharaka.accounts.models import GlobalRole
from sharaka.directory.models import OrganizationKind
from sharaka.partnerships.models import Partnership
from tests.factories import OrganizationFactory, PartnershipFactory, UserFactory


@dataclass
class Territories:
    north: Any  # a province
    south: Any
    north_commune: Any
    south_commune: Any
    north_p: Partnership  # led by a commune of the north
    south_p: Partnership
    province_p: Partnership  # led by the north province itself
    north_supervisor: Any
    national: Any


@pytest.fixture
def territories(db: None) -> Territories:
    kind = OrganizationKind.PROVINCE_REGION
    north = OrganizationFactory(name="Province du Nord", kind=kind)
    south = OrganizationFactory(name="Province du Sud", kind=kind)
    nc = OrganizationFactory(name="Commune Nord", kind=OrganizationKind.COMMUNE, province=north)
    sc = OrganizationFactory(name="Commune Sud", kind=OrganizationKind.COMMUNE, province=south)
    return Territories(
        north=north, south=south, north_commune=nc, south_commune=sc,
        north_p=PartnershipFactory(title="Nord", slug="nord", lead_authority=nc),
        south_p=PartnershipFactory(title="Sud", slug="sud", lead_authority=sc),
        province_p=PartnershipFactory(title="Province", slug="province", lead_authority=north),
        north_supervisor=UserFactory(
            username="tutelle.nord", role=GlobalRole.SUPERVISOR, territory=north
        ),
        national=UserFactory(username="tutelle.maroc", role=GlobalRole.SUPERVISOR),
    )  # fmt: skip
