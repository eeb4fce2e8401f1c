"""The conventions API: reads per role, clause writes with the same validation, rules in
force, documents, problem JSON."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sharaka.accounts.models import ApiToken
from sharaka.conventions.models import ConventionVersion
from tests.conftest import ROLES, World

pytestmark = pytest.mark.django_db

VIEWERS = {"admin", "officer", "coordinator", "board_member", "treasurer", "auditor"}


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
    assert body["status"] == status and body["detail"]
    return body


@pytest.mark.parametrize("role", ROLES)
def test_get_convention_per_role(api_for: Any, role: str, draft: ConventionVersion) -> None:
    response = api_for(role).get("/api/conventions/partenariat-a")
    if role in VIEWERS:
        body = response.json()
        assert body["versions"][0]["status"] == "draft"
        assert body["in_force_today"] is None
    else:
        _problem(response, 404)


def test_get_version_with_completeness(api_for: Any, world: World,
                                       draft: ConventionVersion) -> None:  # fmt: skip
    body = api_for("auditor").get("/api/conventions/partenariat-a/versions/0").json()
    assert body["completeness"] == {"complete": True, "errors": [], "warnings": []}
    codes = [c["code"] for c in body["clauses"]]
    assert codes[0] == "preamble" and "termination" in codes
    deliberations = next(c for c in body["clauses"] if c["code"] == "deliberations")
    assert deliberations["params"]["quorum"] == "1/2"
    _problem(api_for("auditor").get("/api/conventions/partenariat-a/versions/9"), 404)
    _problem(api_for("auditor").get("/api/conventions/partenariat-b"), 404)


def test_patch_params_same_validation(api_for: Any, draft: ConventionVersion) -> None:
    client = api_for("coordinator")
    url = "/api/conventions/partenariat-a/versions/0/clauses/audit"
    body = client.patch(url, {"params": {"audit_frequency_months": None}},
                        content_type="application/json").json()  # fmt: skip
    assert "audit_frequency_months" not in body["params"]
    version = client.get("/api/conventions/partenariat-a/versions/0").json()
    assert [e["code"] for e in version["completeness"]["errors"]] == ["audit_frequency_missing"]
    problem = _problem(client.patch(url, {"params": {"expense_tolerance": "beaucoup"}},
                                    content_type="application/json"), 422)  # fmt: skip
    assert problem["errors"][0]["field"] == "expense_tolerance"
    problem = _problem(client.patch(url, {"params": {"expense_tolerance": 3}, "order": -1},
                                    content_type="application/json"), 422)  # fmt: skip
    assert problem["errors"][0]["field"] == "order"
    _problem(api_for("board_member").patch(url, {"params": {}},
                                           content_type="application/json"), 403)  # fmt: skip


def test_post_clause(api_for: Any, draft: ConventionVersion) -> None:
    client = api_for("officer")
    url = "/api/conventions/partenariat-a/versions/0/clauses"
    response = client.post(url, {"code": "annexes", "params": {"documents": ["Plan du site"]}},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 201
    assert response.json()["params"] == {"documents": {"fr": ["Plan du site"]}}
    problem = _problem(client.post(url, {"code": "annexes"}, content_type="application/json"),
                       409)  # fmt: skip
    assert problem["code"] == "clause_duplicate"
    problem = _problem(client.post(url, {"code": "custom", "params": {"x": 1}},
                                   content_type="application/json"), 422)  # fmt: skip
    assert problem["errors"][0]["field"] == "x"


def test_signed_version_refuses_changes(api_for: Any, in_force: ConventionVersion) -> None:
    problem = _problem(api_for("admin").patch(
        "/api/conventions/partenariat-a/versions/0/clauses/audit",
        {"params": {"auditor_name": "X"}}, content_type="application/json"), 409)  # fmt: skip
    assert problem["code"] == "version_locked"


def test_rules_in_force(api_for: Any, in_force: ConventionVersion) -> None:
    client = api_for("treasurer")
    body = client.get("/api/conventions/partenariat-a/rules?date=2025-03-01").json()
    assert body["source"] == f"convention:{in_force.pk}"
    assert body["decision_rule"]["method"] == "consensus"
    assert body["decision_rule"]["fallback"]["rule"]["threshold"] == "2/3"
    assert body["expense_tolerance"] == "1/10" and body["notice_period_days"] == 10
    assert body["termination"]["staff_disposition"] == "return_to_origin"
    _problem(client.get("/api/conventions/partenariat-a/rules?date=2024-01-01"), 404)
    _problem(client.get("/api/conventions/partenariat-a/rules?date=demain"), 422)


def test_render_and_catalogue(api_for: Any, draft: ConventionVersion) -> None:
    client = api_for("board_member")
    response = client.get("/api/conventions/partenariat-a/versions/0/render?format=docx&lang=en")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    _problem(client.get("/api/conventions/partenariat-a/versions/0/render?format=odt"), 422)
    catalogue = client.get("/api/conventions/catalogue").json()
    board = next(c for c in catalogue if c["code"] == "board")
    composition = next(p for p in board["params"] if p["name"] == "composition")
    assert composition["type"] == "table"
    assert [c["name"] for c in composition["columns"]][:3] == ["organization", "college", "seats"]


def test_clause_position_is_bounded(api_for: Any, draft: ConventionVersion) -> None:
    client = api_for("coordinator")
    url = "/api/conventions/partenariat-a/versions/0/clauses"
    for body in ({"order": 1e23}, {"order": 10**23}, {"order": 10000}):
        problem = _problem(client.patch(url + "/audit", body, content_type="application/json"),
                           422)  # fmt: skip
        assert problem["errors"][0]["field"] == "order"
        problem = _problem(client.post(url, {"code": "custom", **body},
                                       content_type="application/json"), 422)  # fmt: skip
        assert problem["errors"][0]["field"] == "order"


def test_clause_service_bounds_the_position(world: World, draft: ConventionVersion) -> None:
    from sharaka.conventions import services
    from sharaka.core.errors import ValidationFailed

    clause = draft.clauses.get(code="audit")
    for order in (-1, 10**23):
        with pytest.raises(ValidationFailed) as caught:
            services.clause_update(by=world.coordinator, clause=clause, order=order)
        assert "order" in caught.value.errors
