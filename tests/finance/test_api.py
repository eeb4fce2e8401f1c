from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sharaka.accounts.models import ApiToken
from tests.finance.conftest import FinWorld

BASE = "/api/finance/partnerships/partenariat-a"


@pytest.fixture
def api_for(fw: FinWorld) -> Any:
    def make(role: str) -> Client:
        _token, raw = ApiToken.issue(user=fw.w.user(role), name="tests")
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return make


def _expense(fw: FinWorld, **kw: Any) -> dict[str, Any]:
    return {
        "date": "2025-04-01",
        "amount": "120.00",
        "supplier": "S",
        "activity_id": fw.a1.pk,
        "line_id": fw.staff.pk,
    } | kw


def test_expense_workflow_through_the_api(fw: FinWorld, api_for: Any) -> None:
    coordinator = api_for("coordinator")
    response = coordinator.post(f"{BASE}/expenses", _expense(fw), content_type="application/json")
    assert response.status_code == 201, response.content
    expense_id = response.json()["id"]
    assert response.json()["has_document"] is False
    assert coordinator.post(f"{BASE}/expenses/{expense_id}/check").status_code == 200
    treasurer = api_for("treasurer")
    approved = treasurer.post(f"{BASE}/expenses/{expense_id}/approve")
    assert approved.json()["status"] == "approved"
    reversed_ = treasurer.post(
        f"{BASE}/expenses/{expense_id}/reverse", {"reason": "x"}, content_type="application/json"
    )
    assert reversed_.status_code == 201 and reversed_.json()["amount"] == "-120.00"
    budget = api_for("auditor").get(f"{BASE}/budget").json()
    assert budget["total"]["spent"] == "0.00" or float(budget["total"]["spent"]) == 0
    listed = api_for("board_member").get(f"{BASE}/expenses").json()
    assert listed["count"] == 2 and len(listed["items"]) == 2


def test_controls_are_problem_json(fw: FinWorld, api_for: Any) -> None:
    response = api_for("coordinator").post(
        f"{BASE}/expenses", _expense(fw, date="2025-08-01"), content_type="application/json"
    )
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "expense_outside_activity_period"
    assert body["errors"][0]["field"] == "date"
    forbidden = api_for("auditor").post(
        f"{BASE}/expenses", _expense(fw), content_type="application/json"
    )
    assert forbidden.status_code == 403
    hidden = api_for("other_officer").get(f"{BASE}/budget")
    assert hidden.status_code == 404 and hidden.json()["code"] == "not_found"
    invalid = api_for("coordinator").post(
        f"{BASE}/expenses", _expense(fw, amount="-1"), content_type="application/json"
    )
    assert invalid.status_code == 422


def test_contributions_api(fw: FinWorld, api_for: Any) -> None:
    payload = {
        "organization_id": fw.pw.association.pk,
        "year": 2025,
        "kind": "in_kind",
        "in_kind_type": "staff",
        "valuation_method": "time",
        "pledged": "5000.00",
    }
    response = api_for("treasurer").post(
        f"{BASE}/contributions", payload, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    listed = api_for("auditor").get(f"{BASE}/contributions").json()
    assert listed[0]["organization_name"] == "Association Alpha"
    refused = api_for("board_member").post(
        f"{BASE}/contributions", payload, content_type="application/json"
    )
    assert refused.status_code == 403
