"""The staff and assets registers go through the guarded writer: formula-like text stays
text, a control character already in the database never breaks the export."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from sharaka.structure import services
from tests.factories import PersonFactory
from tests.structure.conftest import StructureWorld

pytestmark = pytest.mark.django_db


@pytest.fixture
def tricky(sw: StructureWorld) -> StructureWorld:
    sw.staff(PersonFactory(last_name="=cmd|' /C calc'!A0"), title="Chargée\x0bde mission")
    sw.staff(PersonFactory(last_name="Saidi"), title="@SUM(1+1)")
    services.asset_create(
        by=sw.w.coordinator,
        partnership=sw.w.a,
        fields={
            "kind": "equipment",
            "name": "-1+1",
            "owner": sw.commune,
            "provided_by": sw.commune,
            "value": Decimal("2500.00"),
            "location": "Magasin\x0b2",
        },
    )
    return sw


def _get(client: Any, slug: str, register: str, fmt: str) -> Any:
    response = client.get(reverse(f"structure:{register}_export", args=[slug, fmt]))
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("register", ["staff", "asset"])
def test_xlsx_registers_have_no_formula_and_survive_control_characters(
    tricky: StructureWorld, client_for: Any, register: str
) -> None:
    response = _get(client_for("auditor"), tricky.w.a.slug, register, "xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    values = {c.value for c in cells}
    if register == "staff":
        assert {"=cmd|' /C calc'!A0", "Chargéede mission", "@SUM(1+1)"} <= values
    else:
        assert {"-1+1", "Magasin2", 2500} <= values


def test_csv_registers_neutralise_formulas(tricky: StructureWorld, client_for: Any) -> None:
    client = client_for("treasurer")
    staff = _get(client, tricky.w.a.slug, "staff", "csv").content.decode("utf-8-sig")
    rows = {r["Nom"]: r for r in csv.DictReader(io.StringIO(staff), delimiter=";")}
    assert rows["'=cmd|' /C calc'!A0"]["Intitulé du poste"] == "Chargéede mission"
    assert rows["Saidi"]["Intitulé du poste"] == "'@SUM(1+1)"
    assets = _get(client, tricky.w.a.slug, "asset", "csv").content.decode("utf-8-sig")
    row = next(csv.DictReader(io.StringIO(assets), delimiter=";"))
    assert row["Désignation"] == "'-1+1" and row["Valeur"] == "2500,00"
    assert row["Emplacement"] == "Magasin2"
