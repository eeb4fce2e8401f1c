"""Importing measurements from XLSX or CSV: all rows or none, each error naming its line
and column; the template; access."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from sharaka.core.errors import AccessDenied, ValidationFailed
from sharaka.evaluation.imports import COLUMNS, measurements_import
from sharaka.evaluation.models import Measurement
from tests.evaluation.conftest import EvalWorld

pytestmark = pytest.mark.django_db
HEAD = ["indicateur", "début", "fin", "valeur", "femmes", "hommes", "appréciation", "source"]


def _xlsx(rows: list[list[Any]]) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    stream = io.BytesIO()
    book.save(stream)
    stream.seek(0)
    return stream


def _good(ew: EvalWorld) -> list[list[Any]]:
    return [
        HEAD,
        [ew.count.pk, "2025-01-01", "2025-03-31", "120", "", "", "", "Registre"],
        [ew.jobs.pk, "01/04/2025", "30/06/2025", "30", "12", "18", "", "ANAPEC"],
        [ew.quality.pk, "2025-01-01", "2025-12-31", "", "", "", "Bonne ambiance", "Enquête"],
    ]


def test_all_rows(ew: EvalWorld) -> None:
    count = measurements_import(
        by=ew.w.coordinator, partnership=ew.w.a, stream=_xlsx(_good(ew)), name="m.xlsx"
    )
    assert count == 3 and Measurement.objects.count() == 3
    jobs = Measurement.objects.get(indicator=ew.jobs)
    assert (jobs.women, jobs.men, jobs.measured_on.isoformat()) == (12, 18, "2025-06-30")


def test_csv_too(ew: EvalWorld) -> None:
    text = f"indicateur;debut;fin;valeur;source\n{ew.count.pk};2025-01-01;2025-03-31;120,5;R\n"
    count = measurements_import(
        by=ew.w.coordinator, partnership=ew.w.a, stream=io.BytesIO(text.encode()), name="m.csv"
    )
    assert count == 1 and Measurement.objects.get().value == 120.5


def test_one_bad_row_imports_nothing_and_names_line_and_column(ew: EvalWorld) -> None:
    rows = [
        *_good(ew),
        [ew.share.pk, "2025-01-01", "2025-03-31", "101", "", "", "", "x"],
        [ew.jobs.pk, "2025-01-01", "2025-03-31", "30", "10", "15", "", "x"],
        [ew.count.pk, "2024-01-01", "2024-03-31", "1", "", "", "", "x"],
        [ew.count.pk, "hier", "2025-03-31", "abc", "", "", "", "x"],
        [999999, "2025-01-01", "2025-03-31", "1", "", "", "", "x"],
        [ew.count.pk, "2025-01-01", "2025-03-31", "1", "", "", "", ""],
    ]
    with pytest.raises(ValidationFailed) as caught:
        measurements_import(by=ew.w.coordinator, partnership=ew.w.a, stream=_xlsx(rows),
                            name="m.xlsx")  # fmt: skip
    errors = caught.value.errors["file"]
    assert "Ligne 5, colonne « valeur »" in errors[1]
    assert "Ligne 6, colonne « hommes »" in errors[2]
    assert "Ligne 7, colonne « debut »" in errors[3]
    assert any("Ligne 8, colonne « debut »" in e for e in errors)
    assert any("Ligne 8, colonne « valeur »" in e for e in errors)
    assert any("Ligne 9, colonne « indicateur »" in e for e in errors)
    assert any("Ligne 10, colonne « source »" in e for e in errors)
    assert not Measurement.objects.exists()


def test_header_and_rights(ew: EvalWorld) -> None:
    with pytest.raises(ValidationFailed) as caught:
        measurements_import(by=ew.w.coordinator, partnership=ew.w.a,
                            stream=_xlsx([["indicateur", "couleur"]]), name="m.xlsx")  # fmt: skip
    assert "couleur" in caught.value.errors["file"][1]
    with pytest.raises(AccessDenied):
        measurements_import(by=ew.w.auditor, partnership=ew.w.a, stream=_xlsx(_good(ew)),
                            name="m.xlsx")  # fmt: skip
    # an indicator of another partnership is unknown here
    with pytest.raises(ValidationFailed):
        measurements_import(by=ew.w.admin, partnership=ew.w.b, stream=_xlsx(_good(ew)),
                            name="m.xlsx")  # fmt: skip
    assert not Measurement.objects.exists()


def test_pages(ew: EvalWorld, client_for: Any) -> None:
    slug = ew.w.a.slug
    url = reverse("evaluation:measurement_import", args=[slug])
    template = reverse("evaluation:import_template", args=[slug])
    assert client_for("auditor").get(url).status_code == 403
    assert client_for("outsider").get(template).status_code == 404
    client = client_for("coordinator")
    assert template in client.get(url).content.decode()
    book = load_workbook(io.BytesIO(client.get(template).content))
    assert [c.value for c in book.worksheets[0][1]] == list(COLUMNS)
    assert book.worksheets[1].max_row == 6  # header and five indicators
    upload = SimpleUploadedFile("m.xlsx", _xlsx(_good(ew)).read())
    response = client.post(url, {"file": upload})
    assert response.status_code == 302 and Measurement.objects.count() == 3
    bad = [*_good(ew), [ew.share.pk, "2025-01-01", "2025-03-31", "101", "", "", "", "x"]]
    response = client.post(url, {"file": SimpleUploadedFile("m.xlsx", _xlsx(bad).read())})
    assert response.status_code == 200 and "Ligne 5, colonne" in response.content.decode()
    assert Measurement.objects.count() == 3
