"""Control characters are refused by the directory's pages and API (a NUL in an API text
field was a 500 on PostgreSQL and was stored on SQLite), with a message on the field."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sharaka.accounts.models import ApiToken
from sharaka.directory.models import Organization, Person
from tests.conftest import World

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["Coop\x00Argane", "Coop\x0bArgane", "Coop\x1fArgane"])
def test_api_refuses_control_characters(world: World, value: str) -> None:
    _token, raw = ApiToken.issue(user=world.admin, name="tests")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    before = Organization.objects.count()
    response = client.post(
        "/api/organizations",
        {"name": "Coopérative", "kind": "cooperative", "city": value},
        content_type="application/json",
    )
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert [e["field"] for e in response.json()["errors"]] == ["city"]
    assert Organization.objects.count() == before


def test_person_page_refuses_control_characters(client_for: Any) -> None:
    client = client_for("admin")
    data = {"first_name": "Ali", "last_name": "Naci\x0bri", "gender": "m", "notes": "a\nb"}
    response = client.post("/annuaire/personnes/nouvelle/", data)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["last_name"]
    assert not Person.objects.filter(first_name="Ali").exists()
    response = client.post("/annuaire/personnes/nouvelle/", data | {"last_name": "Naciri"})
    assert response.status_code == 302
    assert Person.objects.get(last_name="Naciri").notes == "a\nb"
