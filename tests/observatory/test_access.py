"""The supervisor role: read-only, scoped to a territory (issue 19)."""

from __future__ import annotations

import pytest
from django.test import Client

from sharaka.core.access import (
    WRITE_PERMS,
    Perm,
    Role,
    can,
    partnership_scope,
    permissions_for,
    roles_for,
)
from sharaka.partnerships.models import Partnership
from tests.conftest import sign_in
from tests.observatory.conftest import Territories

pytestmark = pytest.mark.django_db


def _visible(user: object) -> set[str]:
    return set(Partnership.objects.filter(partnership_scope(user)).values_list("slug", flat=True))  # type: ignore[arg-type]


def test_a_province_supervisor_reads_only_its_territory(territories: Territories) -> None:
    t = territories
    assert _visible(t.north_supervisor) == {"nord", "province"}
    assert Role.SUPERVISOR in roles_for(t.north_supervisor, t.north_p)
    assert Role.SUPERVISOR in roles_for(t.north_supervisor, t.province_p)
    assert Role.SUPERVISOR not in roles_for(t.north_supervisor, t.south_p)
    assert not can(t.north_supervisor, Perm.PARTNERSHIP_VIEW, t.south_p)


def test_a_national_supervisor_reads_every_partnership(territories: Territories) -> None:
    t = territories
    assert _visible(t.national) == {"nord", "sud", "province"}
    assert can(t.national, Perm.PARTNERSHIP_VIEW, t.south_p)
    assert can(t.national, Perm.OBSERVATORY_VIEW)


def test_a_supervisor_changes_nothing(territories: Territories) -> None:
    perms = permissions_for(territories.national, territories.north_p)
    assert Perm.PARTNERSHIP_VIEW in perms
    assert not perms & WRITE_PERMS
    assert Perm.PARTNERSHIP_CHANGE not in perms
    assert Perm.PERSON_CONTACT_VIEW not in perms


def test_another_province_partnership_answers_404(territories: Territories) -> None:
    client = sign_in(Client(), territories.north_supervisor)
    assert client.get("/partenariats/nord/").status_code == 200
    assert client.get("/partenariats/sud/").status_code == 404
