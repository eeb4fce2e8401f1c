"""An address (path or query parameter) holding a control character is refused before any
view reads it: a NUL in the public portal's search or in an API slug was a 500 on
PostgreSQL (and an ordinary page on SQLite)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from sharaka.accounts.models import ApiToken
from tests.conftest import World

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _french() -> Iterator[None]:
    with translation.override("fr"):
        yield


@pytest.mark.parametrize("query", ["q=%00", "q=a%0Bb", "sector=%1F"])
def test_public_portal_search_refuses_control_characters(query: str) -> None:
    response = Client().get(f"/portail/?{query}")
    assert response.status_code == 400
    assert "Caractère invisible interdit (U+00" in response.content.decode()


def test_ordinary_search_still_works() -> None:
    assert Client().get("/portail/?q=stade%20municipal").status_code == 200


@pytest.mark.parametrize(
    ("url", "field"),
    [("/api/partnerships/%00", "path"), ("/api/finance/partnerships/a%00/budget", "path"),
     ("/api/organizations?q=%00", "q")],
)  # fmt: skip
def test_api_refuses_control_characters_in_the_address(world: World, url: str, field: str) -> None:
    _token, raw = ApiToken.issue(user=world.admin, name="tests")
    response = Client(headers={"Authorization": f"Bearer {raw}"}).get(url)
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"] == [
        {"field": field, "message": "Caractère invisible interdit (U+0000) : retirez-le."}
    ]


def test_signed_in_pages_refuse_them_too(client_for: Any) -> None:
    response = client_for("officer").get("/annuaire/organisations/?city=%00")
    assert response.status_code == 400
