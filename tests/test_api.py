"""The JSON API: token auth, access per role, pagination, problem JSON."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from sharaka.accounts.models import ApiToken
from sharaka.partnerships.models import Partnership
from tests.conftest import ROLES, World
from tests.factories import AssociationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_for(world: World) -> Any:
    def make(role: str) -> Client:
        _token, raw = ApiToken.issue(user=world.user(role), name="tests")
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return make


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert {"type", "title", "status", "detail"} <= set(body)
    assert body["status"] == status
    return body


def test_no_or_bad_token_is_401_problem(world: World) -> None:
    _problem(Client().get("/api/partnerships"), 401)
    bad = Client(headers={"Authorization": "Bearer shk_nope"})
    _problem(bad.get("/api/partnerships"), 401)


def test_revoked_token_is_refused(world: World) -> None:
    token, raw = ApiToken.issue(user=world.admin, name="x")
    token.revoked = True
    token.save()
    _problem(Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/partnerships"), 401)


@pytest.mark.parametrize("role", ROLES)
def test_list_is_scoped_per_role(api_for: Any, role: str) -> None:
    body = api_for(role).get("/api/partnerships").json()
    slugs = {item["slug"] for item in body["items"]}
    expected = {
        "admin": {"partenariat-a", "partenariat-b"},
        "other_officer": {"partenariat-b"},
        "outsider": set(),
    }.get(role, {"partenariat-a"})
    assert slugs == expected
    assert body["count"] == len(expected)


@pytest.mark.parametrize("role", ["coordinator", "board_member", "treasurer", "auditor"])
def test_member_of_a_gets_404_on_b(api_for: Any, role: str) -> None:
    _problem(api_for(role).get("/api/partnerships/partenariat-b"), 404)
    assert api_for(role).get("/api/partnerships/partenariat-a").status_code == 200


def test_read_detail_with_parties_and_allowed_transitions(api_for: Any) -> None:
    body = api_for("officer").get("/api/partnerships/partenariat-a").json()
    assert body["status"] == "draft"
    assert body["allowed_transitions"] == ["negotiation"]
    assert body["parties"][0]["role"] == "lead"


def test_create_update_and_transition(api_for: Any, world: World) -> None:
    client = api_for("officer")
    created = client.post(
        "/api/partnerships",
        data=json.dumps({
            "title": "Santé de proximité", "kind": "management", "category": "socio_economic",
            "sector": "health", "complexity": "associative",
            "lead_authority_id": world.a.lead_authority_id,
        }),
        content_type="application/json",
    )  # fmt: skip
    assert created.status_code == 201, created.content
    slug = created.json()["slug"]
    patched = client.patch(
        f"/api/partnerships/{slug}", data={"description": "Maison de santé"},
        content_type="application/json",
    )  # fmt: skip
    assert patched.json()["description"] == "Maison de santé"
    lacking = client.post(
        f"/api/partnerships/{slug}/transitions", data={"to_status": "negotiation"},
        content_type="application/json",
    )  # fmt: skip
    assert _problem(lacking, 409)["code"] == "conditions_not_met"
    Partnership.objects.get(slug=slug).parties.create(
        organization=AssociationFactory(), role="partner"
    )
    moved = client.post(
        f"/api/partnerships/{slug}/transitions", data={"to_status": "negotiation"},
        content_type="application/json",
    )  # fmt: skip
    assert moved.status_code == 201
    assert Partnership.objects.get(slug=slug).status == "negotiation"


def test_invalid_body_is_a_422_problem_naming_the_field(api_for: Any, world: World) -> None:
    response = api_for("admin").post(
        "/api/partnerships",
        data={"title": "X", "kind": "management", "category": "facility", "sector": "casino",
              "complexity": "small", "lead_authority_id": world.a.lead_authority_id},
        content_type="application/json",
    )  # fmt: skip
    body = _problem(response, 422)
    assert any(error["field"] == "sector" for error in body["errors"])


def test_malformed_json_is_a_problem(api_for: Any) -> None:
    response = api_for("admin").post(
        "/api/partnerships", data="{not json", content_type="application/json"
    )
    assert response.status_code in (400, 422)
    assert response["Content-Type"] == "application/problem+json"


def test_domain_refusals_are_problems(api_for: Any, world: World) -> None:
    body = _problem(
        api_for("officer").post(
            "/api/partnerships/partenariat-a/transitions", data={"to_status": "terminated"},
            content_type="application/json",
        ),
        409,
    )  # fmt: skip
    assert body["code"] == "transition_not_allowed"
    _problem(
        api_for("board_member").patch(
            "/api/partnerships/partenariat-a", data={"title": "Y"},
            content_type="application/json",
        ),
        403,
    )  # fmt: skip
    body = _problem(
        api_for("admin").patch(
            "/api/partnerships/partenariat-a", data={"end_date": "2020-01-01",
                                                     "start_date": "2021-01-01"},
            content_type="application/json",
        ),
        422,
    )  # fmt: skip
    assert body["errors"]


def test_organizations_crud_and_filters(api_for: Any) -> None:
    client = api_for("officer")
    created = client.post(
        "/api/organizations", data={"name": "Association Nour", "kind": "association"},
        content_type="application/json",
    )  # fmt: skip
    assert created.status_code == 201
    assert created.json()["default_college"] == "associative"
    org_id = created.json()["id"]
    listed = client.get("/api/organizations", {"kind": "association"}).json()
    assert [o["name"] for o in listed["items"]] == ["Association Nour"]
    # An officer adds a partner; changing it is for its own officers and the admin.
    _problem(
        client.patch(
            f"/api/organizations/{org_id}", data={"city": "X"}, content_type="application/json"
        ),
        403,
    )
    patched = api_for("admin").patch(
        f"/api/organizations/{org_id}", data={"city": "Tizgui"}, content_type="application/json"
    )
    assert patched.json()["city"] == "Tizgui"
    duplicate = client.post(
        "/api/organizations", data={"name": "Association Nour", "kind": "association"},
        content_type="application/json",
    )  # fmt: skip
    assert any(e["field"] == "name" for e in _problem(duplicate, 422)["errors"])
    _problem(client.get("/api/organizations/999999"), 404)
    _problem(
        api_for("auditor").post(
            "/api/organizations", data={"name": "Z", "kind": "other"},
            content_type="application/json",
        ),
        403,
    )  # fmt: skip


def test_openapi_docs_are_served(world: World) -> None:
    schema = Client().get("/api/openapi.json")
    assert schema.status_code == 200
    assert "/api/partnerships" in schema.json()["paths"]
