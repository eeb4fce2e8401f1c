"""The observatory's pages: scoped to the territory, drill-down, snapshot only (issue 19)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sharaka import cli
from sharaka.accounts.models import GlobalRole
from sharaka.core import scheduler
from sharaka.directory.models import OrganizationKind
from sharaka.observatory import tasks
from sharaka.observatory.models import AuthorityScore, PartnershipScore, Refresh, TerritoryScore
from sharaka.observatory.refresh import snapshot_refresh
from tests.conftest import World, sign_in
from tests.factories import OrganizationFactory, PartnershipFactory, UserFactory
from tests.observatory.conftest import Territories

pytestmark = pytest.mark.django_db


def test_refresh_scores_every_partnership_and_territory(territories: Territories) -> None:
    refresh = snapshot_refresh()
    assert refresh.partnerships == 3
    assert PartnershipScore.objects.count() == 3
    assert set(AuthorityScore.objects.values_list("name", flat=True)) == {
        "Commune Nord", "Commune Sud", "Province du Nord",
    }  # fmt: skip
    north = TerritoryScore.objects.get(province=territories.north)
    assert north.partnerships == 2 and north.authorities == 2
    country = TerritoryScore.objects.get(province__isnull=True)
    assert country.partnerships == 3
    row = PartnershipScore.objects.get(slug="nord")
    assert row.scores["convention"] == 0  # no convention in force: measured, and zero
    assert row.scores["board_balance"] is None  # no board: not yet measured
    assert row.scores["decisions_posted"] is None
    snapshot_refresh()  # rebuilt whole, not appended
    assert PartnershipScore.objects.count() == 3
    assert Refresh.objects.count() == 2


def test_province_supervisor_drills_down_its_province_only(territories: Territories) -> None:
    t = territories
    snapshot_refresh()
    client = sign_in(Client(), t.north_supervisor)
    home = client.get("/observatoire/")
    assert home.status_code == 302 and home["Location"] == f"/observatoire/provinces/{t.north.pk}/"
    page = client.get(f"/observatoire/provinces/{t.north.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Commune Nord" in html and "Commune Sud" not in html
    assert "pas encore mesuré" in html
    assert client.get(f"/observatoire/provinces/{t.south.pk}/").status_code == 404
    authority = client.get(f"/observatoire/collectivites/{t.north_commune.pk}/")
    assert authority.status_code == 200 and "/partenariats/nord/" in authority.content.decode()
    assert client.get(f"/observatoire/collectivites/{t.south_commune.pk}/").status_code == 404


def test_national_supervisor_sees_every_province(territories: Territories) -> None:
    snapshot_refresh()
    client = sign_in(Client(), territories.national)
    html = client.get("/observatoire/").content.decode()
    assert "Province du Nord" in html and "Province du Sud" in html
    assert client.get(f"/observatoire/provinces/{territories.south.pk}/").status_code == 200


@pytest.mark.parametrize("role", ["officer", "coordinator", "outsider"])
def test_other_roles_may_not_open_the_observatory(world: World, role: str) -> None:
    client = sign_in(Client(), world.user(role))
    assert client.get("/observatoire/").status_code == 403
    assert client.get("/observatoire/export.xlsx").status_code == 403


def test_anonymous_users_are_sent_to_sign_in(db: None) -> None:
    assert Client().get("/observatoire/").status_code == 302


def test_export_holds_the_territory_only(territories: Territories) -> None:
    snapshot_refresh()
    client = sign_in(Client(), territories.north_supervisor)
    response = client.get("/observatoire/export.csv")
    body = response.content.decode()
    assert response.status_code == 200 and "Nord" in body and "Sud" not in body
    xlsx = client.get("/observatoire/export.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    other = f"/observatoire/export.xlsx?province={territories.south.pk}"
    assert client.get(other).status_code == 404


def _grow(province: Any, n: int) -> None:
    for i in range(n):
        commune = OrganizationFactory(kind=OrganizationKind.COMMUNE, province=province)
        PartnershipFactory(title=f"P{province.pk}-{i}", lead_authority=commune)


def _costs(client: Client, province: int) -> list[int]:
    costs = []
    for url in ("/observatoire/", f"/observatoire/provinces/{province}/",
                f"/observatoire/provinces/{province}/?apres=1"):  # fmt: skip
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        costs.append(len(queries))
    return costs


def test_pages_cost_a_fixed_number_of_queries(territories: Territories) -> None:
    client = sign_in(Client(), UserFactory(role=GlobalRole.PLATFORM_ADMIN))
    _grow(territories.north, 2)
    snapshot_refresh()
    client.get("/observatoire/")  # the session's first page
    small = _costs(client, territories.north.pk)
    _grow(territories.north, 80)
    _grow(territories.south, 20)
    snapshot_refresh()
    assert _costs(client, territories.north.pk) == small
    assert max(small) <= 8, small


def test_the_command_and_the_scheduled_task_refresh_the_snapshot(
    territories: Territories, capsys: Any
) -> None:
    assert cli.main(["observatory", "refresh"]) == 0
    assert "3 partnerships" in capsys.readouterr().out
    assert any(job.name == "observatory.refresh" for job in scheduler.jobs())
    tasks.refresh.enqueue()  # run at once in tests (ImmediateBackend)
    assert Refresh.objects.count() == 2 and PartnershipScore.objects.count() == 3
