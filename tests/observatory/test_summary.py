"""The observatory's printable PDF summary of a territory (issue 19): fr/ar/en, scoped to the
supervisor's territory (404 outside), a fixed number of queries whatever the territory's
size."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sharaka.accounts.models import GlobalRole
from sharaka.directory.models import OrganizationKind
from sharaka.observatory import report
from sharaka.observatory.refresh import snapshot_refresh
from tests.conftest import World, sign_in
from tests.factories import OrganizationFactory, PartnershipFactory, UserFactory
from tests.observatory.conftest import Territories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("lang", ["fr", "ar", "en"])
def test_national_supervisor_prints_the_country_in_each_language(
    territories: Territories, lang: str
) -> None:
    snapshot_refresh()
    client = sign_in(Client(), territories.national)
    response = client.get(f"/observatoire/synthese-{lang}.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"observatoire-country-{lang}.pdf" in response["Content-Disposition"]


def test_the_summary_holds_the_territory_scores_and_references(territories: Territories) -> None:
    snapshot_refresh()
    t = territories
    html = report.render_html(
        report.summary_get(user=t.north_supervisor, level="province", pk=t.north.pk, lang="fr")
    )
    assert "Province du Nord" in html and "Commune Nord" in html and "Commune Sud" not in html
    assert "art. 273" in html and "pas encore mesuré" in html
    arabic = report.summary_get(user=t.national, level="country", pk=None, lang="ar")
    html = report.render_html(arabic)
    assert 'dir="rtl"' in html and 'lang="ar"' in html


def test_province_supervisor_prints_its_province_only(territories: Territories) -> None:
    t = territories
    snapshot_refresh()
    client = sign_in(Client(), t.north_supervisor)
    country = client.get("/observatoire/synthese-fr.pdf")
    assert country.status_code == 302
    assert country["Location"] == f"/observatoire/provinces/{t.north.pk}/synthese-fr.pdf"
    assert client.get(f"/observatoire/provinces/{t.north.pk}/synthese-en.pdf").status_code == 200
    assert client.get(f"/observatoire/provinces/{t.south.pk}/synthese-fr.pdf").status_code == 404
    own = f"/observatoire/collectivites/{t.north_commune.pk}/synthese-ar.pdf"
    assert client.get(own).status_code == 200
    other = f"/observatoire/collectivites/{t.south_commune.pk}/synthese-fr.pdf"
    assert client.get(other).status_code == 404
    assert client.get(f"/observatoire/provinces/{t.north.pk}/synthese-de.pdf").status_code == 404


def test_the_page_links_its_summaries(territories: Territories) -> None:
    snapshot_refresh()
    client = sign_in(Client(), territories.north_supervisor)
    html = client.get(f"/observatoire/provinces/{territories.north.pk}/").content.decode()
    for lang in ("fr", "ar", "en"):
        assert f"/observatoire/provinces/{territories.north.pk}/synthese-{lang}.pdf" in html


@pytest.mark.parametrize("role", ["officer", "coordinator", "board_member", "outsider"])
def test_other_roles_may_not_print_the_summary(world: World, role: str) -> None:
    client = sign_in(Client(), world.user(role))
    assert client.get("/observatoire/synthese-fr.pdf").status_code == 403


def _grow(province: Any, n: int) -> None:
    for i in range(n):
        commune = OrganizationFactory(kind=OrganizationKind.COMMUNE, province=province)
        PartnershipFactory(title=f"S{province.pk}-{i}", lead_authority=commune)


def _costs(territories: Territories) -> list[int]:
    costs = []
    t = territories
    for level, pk in (
        ("country", None),
        ("province", t.north.pk),
        ("authority", t.north_commune.pk),
    ):
        with CaptureQueriesContext(connection) as queries:
            report.summary_get(user=t.national, level=level, pk=pk, lang="fr")
        costs.append(len(queries))
    return costs


def test_the_summary_costs_a_fixed_number_of_queries(territories: Territories) -> None:
    _grow(territories.north, 2)
    snapshot_refresh()
    _costs(territories)  # the user's roles, cached on the user object as in a request
    small = _costs(territories)
    _grow(territories.north, 60)
    extra = OrganizationFactory(kind=OrganizationKind.PROVINCE_REGION)
    _grow(extra, 5)
    snapshot_refresh()
    assert _costs(territories) == small
    assert max(small) <= 6, small


def test_platform_admin_prints_the_country(territories: Territories) -> None:
    snapshot_refresh()
    client = sign_in(Client(), UserFactory(role=GlobalRole.PLATFORM_ADMIN))
    assert client.get("/observatoire/synthese-en.pdf").status_code == 200
