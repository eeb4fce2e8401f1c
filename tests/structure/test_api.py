"""API of the management structure: access per role, create/read/update of the structure,
staff, delegations and assets, refusals as RFC 9457 problem JSON."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from sharaka.accounts.models import ApiToken
from tests.conftest import ROLES, World
from tests.factories import PersonFactory
from tests.planning.conftest import make_decision
from tests.structure.conftest import StructureWorld

pytestmark = pytest.mark.django_db
BASE = "/api/structure/partnerships"


@pytest.fixture
def api_for(world: World) -> Any:
    def make(role: str) -> Client:
        _token, raw = ApiToken.issue(user=world.user(role), name="tests")
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return make


def _send(client: Client, method: str, url: str, body: dict[str, Any]) -> Any:
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    return body


@pytest.mark.parametrize("role", ROLES)
def test_read_per_role(sw: StructureWorld, api_for: Any, role: str) -> None:
    sw.staff()
    client = api_for(role)
    for path in ("structure", "staff", "delegations", "assets"):
        response = client.get(f"{BASE}/partenariat-a/{path}")
        if role in {"other_officer", "outsider"}:
            _problem(response, 404)
        else:
            assert response.status_code == 200, (role, path)


def test_member_of_a_gets_404_on_b(sw: StructureWorld, api_for: Any) -> None:
    row = sw.staff()
    _problem(api_for("coordinator").get(f"{BASE}/partenariat-b/staff"), 404)
    _problem(api_for("admin").get(f"{BASE}/partenariat-b/staff/{row.pk}"), 404)


def test_structure_put_and_get(world: World, api_for: Any) -> None:
    client = api_for("officer")
    _problem(client.get(f"{BASE}/partenariat-a/structure"), 404)
    created = _send(client, "put", f"{BASE}/partenariat-a/structure", {"kind": "associative"})
    assert created.status_code == 200 and created.json()["kind"] == "associative"
    _problem(_send(client, "put", f"{BASE}/partenariat-a/structure", {"kind": "x"}), 422)
    _problem(
        _send(api_for("auditor"), "put", f"{BASE}/partenariat-a/structure", {"kind": "light"}), 403
    )


def test_staff_through_the_api(sw: StructureWorld, api_for: Any) -> None:
    client = api_for("coordinator")
    person = PersonFactory(gender="f")
    body = {
        "person_id": person.pk,
        "role": "coordinator",
        "origin_organization_id": sw.commune.pk,
        "time_share": "60",
        "start_date": "2025-01-01",
    }
    created = _send(client, "post", f"{BASE}/partenariat-a/staff", body)
    assert created.status_code == 201, created.content
    assert created.json()["gender"] == "f" and created.json()["time_share"] == "60.00"
    problem = _problem(_send(client, "post", f"{BASE}/partenariat-a/staff", body), 422)
    assert problem["errors"][0]["field"] == "time_share"
    row = created.json()["id"]
    patched = _send(client, "patch", f"{BASE}/partenariat-a/staff/{row}", {"time_share": "100"})
    assert patched.json()["time_share"] == "100.00"
    _problem(
        _send(
            client, "patch", f"{BASE}/partenariat-a/staff/{row}", {"origin_organization_id": 999999}
        ),
        422,
    )
    _problem(_send(client, "post", f"{BASE}/partenariat-a/staff", body | {"time_share": "0"}), 422)


def test_delegations_through_the_api(sw: StructureWorld, api_for: Any) -> None:
    client = api_for("coordinator")
    decision = make_decision(sw.w.a, "delegation")
    wrong = make_decision(sw.w.a, "other")
    body = {
        "delegate_id": sw.association.pk,
        "decision_id": wrong.pk,
        "scope": "Accueil",
        "start_date": "2025-01-01",
        "reporting_duty": "Rapport",
    }
    problem = _problem(_send(client, "post", f"{BASE}/partenariat-a/delegations", body), 409)
    assert problem["code"] == "decision_wrong_kind"
    created = _send(
        client, "post", f"{BASE}/partenariat-a/delegations", body | {"decision_id": decision.pk}
    )
    assert created.status_code == 201, created.content
    assert created.json()["decision_number"] == decision.number
    pk = created.json()["id"]
    patched = _send(
        client,
        "patch",
        f"{BASE}/partenariat-a/delegations/{pk}",
        {"end_date": "2025-12-31", "reporting_frequency": "yearly"},
    )
    assert patched.json()["end_date"] == "2025-12-31"
    assert client.get(f"{BASE}/partenariat-a/delegations/{pk}").json()["id"] == pk
    _problem(
        _send(
            client,
            "post",
            f"{BASE}/partenariat-a/delegations",
            body | {"decision_id": decision.pk, "activity_ids": [99999]},
        ),
        422,
    )


def test_assets_through_the_api(sw: StructureWorld, api_for: Any) -> None:
    client = api_for("officer")
    body = {
        "kind": "equipment",
        "name": "Minibus",
        "owner_id": sw.commune.pk,
        "provided_by_id": sw.commune.pk,
        "value": "420000.50",
    }
    created = _send(client, "post", f"{BASE}/partenariat-a/assets", body)
    assert created.status_code == 201, created.content
    assert created.json()["value"] == "420000.50" and created.json()["currency"] == "MAD"
    pk = created.json()["id"]
    patched = _send(client, "patch", f"{BASE}/partenariat-a/assets/{pk}", {"condition": "poor"})
    assert patched.json()["condition"] == "poor"
    _problem(_send(client, "post", f"{BASE}/partenariat-a/assets", body | {"value": "-1"}), 422)
    _problem(_send(api_for("treasurer"), "post", f"{BASE}/partenariat-a/assets", body), 403)
