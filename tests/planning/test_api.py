"""API of the action plan: access per role, create/read/update, adoption and revision,
the plan in force, refusals as RFC 9457 problem JSON."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.test import Client

from sharaka.accounts.models import ApiToken
from sharaka.planning.models import Activity
from tests.conftest import ROLES, World
from tests.planning.conftest import PlanWorld, make_decision

pytestmark = pytest.mark.django_db
BASE = "/api/planning/partnerships"


@pytest.fixture
def api_for(world: World) -> Any:
    def make(role: str) -> Client:
        _token, raw = ApiToken.issue(user=world.user(role), name="tests")
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return make


def _post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json")


def _patch(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.patch(url, data=json.dumps(body), content_type="application/json")


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status and {"type", "title", "detail", "code"} <= set(body)
    return body


@pytest.mark.parametrize("role", ROLES)
def test_list_plans_per_role(pw: PlanWorld, api_for: Any, role: str) -> None:
    response = api_for(role).get(f"{BASE}/partenariat-a/plans")
    if role in {"other_officer", "outsider"}:
        _problem(response, 404)
    else:
        assert response.status_code == 200
        assert [p["title"] for p in response.json()] == ["Plan 2025-2027"]


def test_member_of_a_gets_404_on_b(pw: PlanWorld, api_for: Any) -> None:
    _problem(api_for("coordinator").get(f"{BASE}/partenariat-b/plans"), 404)
    version = pw.version.pk
    _problem(api_for("admin").get(f"{BASE}/partenariat-b/versions/{version}"), 404)


def test_anonymous_is_401(pw: PlanWorld) -> None:
    _problem(Client().get(f"{BASE}/partenariat-a/plans"), 401)


def test_build_adopt_revise_through_the_api(pw: PlanWorld, api_for: Any) -> None:
    client = api_for("coordinator")
    version = pw.version.pk
    activity = _post(
        client,
        f"{BASE}/partenariat-a/versions/{version}/activities",
        {
            "objective_id": pw.objective.pk,
            "code": "A1.1",
            "title": "Ouvrir le dimanche",
            "start_date": "2025-02-01",
            "end_date": "2025-12-31",
            "responsible_organization_id": pw.association.pk,
        },
    )
    assert activity.status_code == 201, activity.content
    activity_id = activity.json()["id"]
    line = _post(
        client,
        f"{BASE}/partenariat-a/activities/{activity_id}/lines",
        {
            "category": "staff",
            "label": "Gardiens",
            "amounts": [{"year": 2025, "amount": "1200.50"}, {"year": 2026, "amount": "800"}],
        },
    )
    assert line.status_code == 201, line.content
    assert line.json()["total"] == "2000.50"
    assert line.json()["amounts"][0] == {"year": 2025, "amount": "1200.50"}
    patched = _patch(
        client,
        f"{BASE}/partenariat-a/lines/{line.json()['id']}",
        {"amounts": [{"year": 2027, "amount": "10"}]},
    )
    assert patched.json()["total"] == "10.00"
    read = client.get(f"{BASE}/partenariat-a/versions/{version}").json()
    assert read["status"] == "draft" and read["activities"][0]["code"] == "A1.1"
    _problem(client.get(f"{BASE}/partenariat-a/plan-in-force"), 404)

    decision = make_decision(pw.w.a, "action_plan_adoption", on=date(2025, 3, 1))
    adopted = _post(
        client, f"{BASE}/partenariat-a/versions/{version}/adopt", {"decision_id": decision.pk}
    )
    assert adopted.status_code == 200, adopted.content
    assert adopted.json()["status"] == "adopted"
    assert adopted.json()["decision_number"] == decision.number
    in_force = client.get(f"{BASE}/partenariat-a/plan-in-force?date=2025-06-01").json()
    assert (
        in_force["id"] == version and in_force["activities"][0]["lines"][0]["label"] == "Gardiens"
    )

    frozen = _patch(client, f"{BASE}/partenariat-a/activities/{activity_id}", {"title": "X"})
    assert _problem(frozen, 409)["code"] == "plan_version_frozen"
    progress = _post(
        client,
        f"{BASE}/partenariat-a/activities/{activity_id}/progress",
        {"status": "in_progress", "progress": 20},
    )
    assert progress.json()["progress"] == 20

    revised = _post(client, f"{BASE}/partenariat-a/versions/{version}/revise", {"note": "2026"})
    assert revised.status_code == 201 and revised.json()["number"] == 2
    assert revised.json()["based_on_id"] == version
    copy = Activity.objects.get(version_id=revised.json()["id"], code="A1.1")
    renamed = _patch(client, f"{BASE}/partenariat-a/activities/{copy.pk}", {"title": "Révisée"})
    assert renamed.status_code == 200 and renamed.json()["title"] == "Révisée"


def test_api_refusals_are_problem_json(pw: PlanWorld, api_for: Any) -> None:
    client = api_for("coordinator")
    url = f"{BASE}/partenariat-a/versions/{pw.version.pk}/activities"
    body = {
        "objective_id": pw.objective.pk,
        "code": "A1.1",
        "title": "Hors période",
        "start_date": "2024-01-01",
        "end_date": "2025-01-31",
    }
    problem = _problem(_post(client, url, body), 422)
    assert problem["errors"][0]["field"] == "start_date"
    body["start_date"] = "2025-01-01"
    assert _post(client, url, body).status_code == 201
    problem = _problem(_post(client, url, body), 422)
    assert problem["errors"][0]["field"] == "code"
    _problem(_post(client, url, {"code": "A1.9"}), 422)  # schema validation
    wrong_kind = make_decision(pw.w.a, "other")
    problem = _problem(
        _post(
            client,
            f"{BASE}/partenariat-a/versions/{pw.version.pk}/adopt",
            {"decision_id": wrong_kind.pk},
        ),
        409,
    )
    assert problem["code"] == "decision_wrong_kind"
    other = make_decision(pw.w.b, "action_plan_adoption")
    problem = _problem(
        _post(
            client,
            f"{BASE}/partenariat-a/versions/{pw.version.pk}/adopt",
            {"decision_id": other.pk},
        ),
        409,
    )
    assert problem["code"] == "decision_other_partnership"


@pytest.mark.parametrize("role", ["board_member", "treasurer", "auditor"])
def test_readers_cannot_write(pw: PlanWorld, api_for: Any, role: str) -> None:
    response = _post(
        api_for(role),
        f"{BASE}/partenariat-a/plans",
        {"title": "X", "period_start": "2030-01-01", "period_end": "2030-12-31"},
    )
    _problem(response, 403)


def test_create_and_update_plan(world: World, api_for: Any) -> None:
    client = api_for("officer")
    created = _post(
        client,
        f"{BASE}/partenariat-a/plans",
        {"title": "Plan", "period_start": "2025-01-01", "period_end": "2026-12-31"},
    )
    assert created.status_code == 201
    assert created.json()["versions"][0]["status"] == "draft"
    plan_id = created.json()["id"]
    updated = _patch(client, f"{BASE}/partenariat-a/plans/{plan_id}", {"title": "Plan révisé"})
    assert updated.json()["title"] == "Plan révisé"
    objective = _post(
        client,
        f"{BASE}/partenariat-a/versions/{created.json()['versions'][0]['id']}/objectives",
        {"title": "Ouvrir"},
    )
    assert objective.status_code == 201
    patched = _patch(
        client, f"{BASE}/partenariat-a/objectives/{objective.json()['id']}", {"code": "O1"}
    )
    assert patched.json()["code"] == "O1"
