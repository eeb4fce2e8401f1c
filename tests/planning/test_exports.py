"""The plan's CSV and XLSX exports go through the guarded writer: formula-like titles stay
text, a control character already in the database never breaks the export."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.planning.conftest import PlanWorld

pytestmark = pytest.mark.django_db

FORMULAS = {"A1.1": "-2+3", "A1.2": "@SUM(A1)", "A1.3": "\t=1+1", "A1.4": "+33 6"}


def _urls(pw: PlanWorld) -> tuple[str, str]:
    args = [pw.w.a.slug, pw.plan.pk, pw.version.number]
    return reverse("planning:export_csv", args=args), reverse("planning:export_xlsx", args=args)


@pytest.fixture
def tricky(pw: PlanWorld) -> PlanWorld:
    for code, title in FORMULAS.items():
        activity = pw.activity(code, title=title)
        pw.line(activity, "staff", "=1+2")
    pw.activity("A2.1", title="Ateliers\x0bdu samedi", deliverables="Rapport\x1f final")
    return pw


def test_csv_export_neutralises_every_formula_trigger_and_strips_controls(
    tricky: PlanWorld, client_for: Any
) -> None:
    csv_url, _ = _urls(tricky)
    response = client_for("treasurer").get(csv_url)
    assert response.status_code == 200
    # a CSV for people, in French: semicolons and decimal commas (issue 20)
    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    by_code = {row["Code"]: row for row in rows}
    for code, title in FORMULAS.items():
        assert by_code[code]["Activité"] == "'" + title
        assert by_code[code]["Libellé"] == "'=1+2"
        assert by_code[code]["2025 (MAD)"] == "1000,00"
    assert by_code["A2.1"]["Activité"] == "Ateliersdu samedi"
    assert by_code["A2.1"]["Livrables"] == "Rapport final"


def test_xlsx_export_has_no_formula_and_survives_control_characters(
    tricky: PlanWorld, client_for: Any
) -> None:
    _, xlsx_url = _urls(tricky)
    response = client_for("auditor").get(xlsx_url)
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    activities = {row[1]: row for row in workbook["Activités"].iter_rows(values_only=True)}
    for code, title in FORMULAS.items():
        assert activities[code][2] == title  # the text is kept, as text
    assert activities["A2.1"][2] == "Ateliersdu samedi"
    budget = list(workbook["Budget"].iter_rows(min_row=2, values_only=True))
    assert {row[3] for row in budget} == {"=1+2"}
    assert {row[4] for row in budget} == {1000}  # amounts stay numbers
