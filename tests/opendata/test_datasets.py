"""The CSV datasets under /open-data/ (no login, streamed, English columns whatever the
language, public partnerships only), the Data Package descriptor and the catalogue."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sharaka.finance.models import Expense
from sharaka.opendata import datasets
from sharaka.opendata.datasets import DATASETS
from tests.opendata.conftest import PRIVATE, PUBLIC, body

pytestmark = pytest.mark.django_db

CASTS = {
    "string": str, "integer": int, "number": Decimal, "year": int,
    "date": date.fromisoformat, "boolean": {"true": True, "false": False}.__getitem__,
}  # fmt: skip


def _rows(client: Client, name: str, **headers: Any) -> list[dict[str, str]]:
    response = client.get(f"/open-data/{name}.csv", **headers)
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(body(response).decode("utf-8"))))


def test_every_dataset_matches_its_descriptor(demo: None, anonymous: Client) -> None:
    package = anonymous.get("/open-data/datapackage.json").json()
    assert package["profile"] == "tabular-data-package" and package["licenses"]
    resources = {r["name"]: r for r in package["resources"]}
    assert set(resources) == {d.name for d in DATASETS}
    for name, resource in resources.items():
        fields = resource["schema"]["fields"]
        assert all(f["description"] and f["type"] in CASTS for f in fields)
        response = anonymous.get(f"/open-data/{resource['path']}")
        text = body(response).decode("utf-8")
        reader = csv.reader(io.StringIO(text))
        assert next(reader) == [f["name"] for f in fields], name
        rows = list(reader)
        assert rows, f"{name} is empty in the demo"
        for row in rows:
            for field, value in zip(fields, row, strict=True):
                if value:
                    CASTS[field["type"]](value)  # every value reads as its declared type
        assert PRIVATE not in text, name


def test_columns_do_not_follow_the_language(demo: None, anonymous: Client) -> None:
    english = _rows(anonymous, "decisions")
    arabic = _rows(anonymous, "decisions", HTTP_ACCEPT_LANGUAGE="ar")
    assert english == arabic and list(english[0])[:3] == ["partnership", "number", "year"]
    assert {row["partnership"] for row in english} == {PUBLIC}


def test_only_public_partnerships(demo: None, anonymous: Client) -> None:
    slugs = {row["slug"] for row in _rows(anonymous, "partnerships")}
    assert slugs == {"base-de-plein-air", PUBLIC}
    for name in ("parties", "board_mandates", "budget", "contributions"):
        assert {row["partnership"] for row in _rows(anonymous, name)} <= slugs, name


def test_budget_spent_sums_approved_and_paid_expenses(demo: None, anonymous: Client) -> None:
    rows = _rows(anonymous, "budget")
    spent = sum(Decimal(r["spent"]) for r in rows)
    expected = sum(
        e.amount
        for e in Expense.objects.filter(
            partnership__slug=PUBLIC, status__in=["approved", "paid"],
            line__activity__version__status="adopted",
        )
    )  # fmt: skip
    assert spent == expected and spent > 0


def test_streamed_in_chunks(demo: None, anonymous: Client, monkeypatch: Any) -> None:
    monkeypatch.setattr(datasets, "CHUNK", 2)
    response = anonymous.get("/open-data/board_mandates.csv")
    chunks = list(response.streaming_content)
    assert len(chunks) > 3  # header and two rows, then two rows at a time


def test_unknown_dataset_404(db: None, anonymous: Client) -> None:
    assert anonymous.get("/open-data/users.csv").status_code == 404
    assert anonymous.get("/open-data/partnerships.xlsx").status_code == 404


@pytest.mark.parametrize("language", ["fr", "ar", "en"])
def test_catalogue_page(demo: None, anonymous: Client, language: str) -> None:
    response = anonymous.get("/open-data/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'lang="{language}"' in html
    title = {"fr": "Données ouvertes", "ar": "البيانات المفتوحة", "en": "Open data"}[language]
    assert f"<h1>{title}</h1>" in html
    for dataset in DATASETS:
        assert f'href="/open-data/{dataset.filename}"' in html
    assert 'href="/open-data/datapackage.json"' in html and "/open-data/iati.xml" in html
    assert "CC-BY-4.0" in html and "<time datetime=" in html
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert found is not None
    metadata = json.loads(found.group(1))
    assert metadata["@type"] == "dcat:Catalog"
    names = [d["dct:identifier"] for d in metadata["dcat:dataset"]]
    assert names == [d.name for d in DATASETS] + ["popolo", "iati"]
    for entry in metadata["dcat:dataset"]:
        assert entry["dct:license"]["@id"].startswith("https://creativecommons.org/")
        assert entry["dcat:distribution"][0]["dcat:downloadURL"]["@id"].startswith("http")
    assert metadata == anonymous.get("/open-data/catalog.jsonld").json()


def test_catalogue_queries_fixed(demo: None, anonymous: Client,
                                 django_assert_max_num_queries: Any) -> None:  # fmt: skip
    with django_assert_max_num_queries(12):
        anonymous.get("/open-data/")


@pytest.mark.django_db
def test_the_public_portal_links_to_the_catalogue(client: Client) -> None:
    html = client.get(reverse("partnerships:public_list")).content.decode()
    assert f'href="{reverse("opendata:public_catalogue")}"' in html
