"""The API of conflicts of interest and of the grants register: the same rights and
services as the pages (ADR 0030)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from sharaka.accounts.models import ApiToken
from sharaka.partners.models import ConflictDeclaration, Grant
from tests.conftest import ROLES
from tests.factories import AssociationFactory
from tests.meetings.conftest import MeetingWorld
from tests.partners.test_conflicts import _alpha, mw  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
ALLOWED = {"admin", "officer"}


def _api(user: Any) -> Client:
    _token, raw = ApiToken.issue(user=user, name="tests")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def _json(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("role", ROLES)
def test_conflicts_per_role(mw: MeetingWorld, role: str) -> None:  # noqa: F811
    client = _api(mw.w.user(role))
    authority = mw.w.a.lead_authority.pk
    listed = client.get(f"/api/partners/authorities/{authority}/conflicts")
    assert listed.status_code == (200 if role in ALLOWED else 404)
    if role in ALLOWED:
        [line] = listed.json()
        assert line["association"] == "Association Alpha" and not line["declared"]
    response = _json(
        client, f"/api/partners/authorities/{authority}/conflicts/declarations",
        {"association_id": _alpha(mw).pk, "person_id": mw.m["a"].person.pk,
         "text": "Trésorier."},
    )  # fmt: skip
    # ``board_member`` is the member concerned: they declare their own
    allowed = role in ALLOWED | {"board_member"}
    assert response.status_code == (201 if allowed else 404), response.content
    assert ConflictDeclaration.objects.exists() == allowed


def test_declaration_refusal_is_problem_json(mw: MeetingWorld) -> None:  # noqa: F811
    client = _api(mw.w.officer)
    response = _json(
        client, f"/api/partners/authorities/{mw.w.a.lead_authority.pk}/conflicts/declarations",
        {"association_id": _alpha(mw).pk, "person_id": mw.m["a"].person.pk, "text": " "},
    )  # fmt: skip
    assert response.status_code == 409
    assert response.json()["code"] == "text_required"
    assert not ConflictDeclaration.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_grants_per_role(world: Any, role: str) -> None:
    client = _api(world.user(role))
    authority = world.a.lead_authority.pk
    association = AssociationFactory()
    response = _json(
        client, f"/api/partners/authorities/{authority}/grants/2026",
        {"association_id": association.pk, "purpose": "Stage", "amount": "12000.00"},
    )  # fmt: skip
    allowed = role in ALLOWED
    assert response.status_code == (201 if allowed else 404)
    listed = client.get(f"/api/partners/authorities/{authority}/grants/2026")
    assert listed.status_code == (200 if allowed else 404)
    if allowed:
        assert response.json()["thresholds_crossed"]
        assert listed.json()["total"] in ("12000.00", "12000")
    assert Grant.objects.exists() == allowed
