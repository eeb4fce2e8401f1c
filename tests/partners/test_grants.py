"""The grants register and table (law 113-14 art. 275, ADR 0030): recording with its
refusals, the thresholds on the register's exact total, the table (HTML paged by key, XLSX,
PDF), access per role, fixed query counts."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from sharaka.core.errors import DomainError, NotFound
from sharaka.finance.selectors import association_funding_totals
from sharaka.partners import grants
from sharaka.partners.models import Grant
from sharaka.partnerships.models import Party, PartyRole
from tests.conftest import ROLES, World, sign_in
from tests.factories import AssociationFactory, CompanyFactory

pytestmark = pytest.mark.django_db


def _record(w: World, association: Any, amount: str = "5000", year: int = 2026, **extra: Any):
    return grants.grant_record(
        by=extra.pop("by", w.officer), authority=w.a.lead_authority, association=association,
        year=year, purpose=extra.pop("purpose", "Tournoi des quartiers"), amount=Decimal(amount),
        **extra,
    )  # fmt: skip


def test_recording_and_the_thresholds_on_the_exact_total(world: World) -> None:
    amal = AssociationFactory(name="Association Amal")
    first = _record(world, amal, "6000")
    assert first.crossed == [] and first.total == Decimal("6000")
    second = _record(world, amal, "5000")
    assert second.total == Decimal("11000")
    assert [t.amount for t in second.crossed] == [10000]
    assert "art. 32 ter" in grants.recorded_message(second)
    assert Grant.history.count() == 2  # the register keeps its history


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"amount": "0"}, "amount_positive"),
        ({"year": 1990}, "year_range"),
        ({"purpose": " "}, "purpose_required"),
        ({"company": True}, "not_association"),
    ],
)
def test_refusals_change_nothing(world: World, change: dict[str, Any], code: str) -> None:
    target = CompanyFactory() if change.pop("company", False) else AssociationFactory()
    with pytest.raises(DomainError) as refused:
        _record(world, target, **change)
    assert refused.value.code == code
    assert not Grant.objects.exists()


@pytest.mark.parametrize("role", ["other_officer", "coordinator", "outsider"])
def test_only_the_authority_records(world: World, role: str) -> None:
    with pytest.raises(NotFound):
        _record(world, AssociationFactory(), by=world.user(role))
    assert not Grant.objects.exists()


def test_the_finance_warning_uses_the_register_total_when_there_is_one(world: World) -> None:
    amal = AssociationFactory(name="Association Amal")
    Party.objects.create(partnership=world.a, organization=amal, role=PartyRole.PARTNER)
    _record(world, amal, "12000")
    assert association_funding_totals(partnership=world.a) == {
        ("Association Amal", 2026): Decimal("12000")
    }


@pytest.mark.parametrize("role", ROLES)
def test_table_pages_per_role(world: World, role: str) -> None:
    _record(world, AssociationFactory(name="Association Amal"))
    client = Client()
    sign_in(client, world.user(role))
    authority = world.a.lead_authority.pk
    reads = [
        reverse("partners:grants", kwargs={"authority": authority, "year": 2026}),
        reverse(
            "partners:grants_export", kwargs={"authority": authority, "year": 2026, "fmt": "xlsx"}
        ),
    ]
    allowed = role in {"admin", "officer"}
    for url in reads:
        assert client.get(url).status_code == (200 if allowed else 404), url
    add = reverse("partners:grant_add", kwargs={"authority": authority, "year": 2026})
    assert client.get(add).status_code == (200 if allowed else 404)


def test_table_previous_year_paging_and_exports(world: World) -> None:
    amal = AssociationFactory(name="Association Amal")
    _record(world, amal, "4000", year=2025)
    for n in range(3):
        _record(world, amal, f"{1000 + n}")
    table = grants.grants_table_get(
        user=world.officer, authority=world.a.lead_authority, year=2026, size=2
    )
    assert [r.previous for r in table.rows] == [Decimal("4000")] * 2
    assert table.total == Decimal("3003") and table.next_after == table.rows[-1].grant.pk
    rest = grants.grants_table_get(
        user=world.officer, authority=world.a.lead_authority, year=2026,
        after=table.next_after, size=2,
    )  # fmt: skip
    assert len(rest.rows) == 1 and rest.next_after is None
    client = Client()
    sign_in(client, world.officer)
    kwargs = {"authority": world.a.lead_authority.pk, "year": 2026}
    sheet = client.get(reverse("partners:grants_export", kwargs=kwargs | {"fmt": "xlsx"}))
    rows = list(load_workbook(BytesIO(sheet.content)).active.values)
    assert rows[1][0] == "Association Amal" and len(rows) == 4
    pdf = client.get(reverse("partners:grants_export", kwargs=kwargs | {"fmt": "pdf"}))
    assert pdf.content.startswith(b"%PDF")
    assert (
        client.get(reverse("partners:grants_export", kwargs=kwargs | {"fmt": "doc"})).status_code
        == 404
    )


def test_recording_through_the_page(world: World) -> None:
    amal = AssociationFactory(name="Association Amal")
    client = Client()
    sign_in(client, world.officer)
    url = reverse(
        "partners:grant_add", kwargs={"authority": world.a.lead_authority.pk, "year": 2026}
    )
    response = client.post(
        url, {"association": amal.pk, "purpose": "Stage d'été", "amount": "12000"}
    )
    assert response.status_code == 302
    assert Grant.objects.get().purpose == "Stage d'été"


def test_table_fixed_query_count(world: World) -> None:
    client = Client()
    sign_in(client, world.officer)
    url = reverse("partners:grants", kwargs={"authority": world.a.lead_authority.pk, "year": 2026})
    counts = []
    for n in (2, 12):
        for _ in range(n):
            association = AssociationFactory()
            _record(world, association, "100", year=2025)
            _record(world, association, "200")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
