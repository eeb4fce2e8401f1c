"""API of the results framework: reads per role, entering and validating a measurement
with the same rights as the pages, refusals as RFC 9457 problem JSON naming the field."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from sharaka.accounts.models import ApiToken
from sharaka.evaluation.models import Measurement, MeasurementStatus
from tests.conftest import ROLES, World
from tests.evaluation.conftest import EvalWorld

pytestmark = pytest.mark.django_db
BASE = "/api/evaluation/partnerships"
BODY = {"period_start": "2025-01-01", "period_end": "2025-03-31", "measured_on": "2025-04-02",
        "value": "120", "source": "Registre"}  # fmt: skip


@pytest.fixture
def api_for(world: World) -> Any:
    def make(role: str) -> Client:
        _token, raw = ApiToken.issue(user=world.user(role), name="tests")
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return make


def _post(client: Client, url: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(url, data=json.dumps(body or {}), content_type="application/json")


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    return body


@pytest.mark.parametrize("role", ROLES)
def test_read_per_role(ew: EvalWorld, api_for: Any, role: str) -> None:
    ew.measure(ew.count, "110")
    response = api_for(role).get(f"{BASE}/partenariat-a/results")
    if role in {"other_officer", "outsider"}:
        _problem(response, 404)
        return
    assert response.status_code == 200
    (result,) = response.json()
    assert result["kind"] == "outcome" and len(result["indicators"]) == 5
    count = result["indicators"][0]
    assert (
        count["status"] == "at_risk"
    )  # 20 % of the way in 24 % of the time and len(count["targets"]) == 2
    assert count["measurements"][0]["value"] == "110.0000"


@pytest.mark.parametrize("role", ROLES)
def test_enter_per_role(ew: EvalWorld, api_for: Any, role: str) -> None:
    response = _post(api_for(role), f"{BASE}/partenariat-a/indicators/{ew.count.pk}/measurements",
                     BODY)  # fmt: skip
    if role in {"other_officer", "outsider"}:
        _problem(response, 404)
    elif role in {"admin", "officer", "coordinator"}:
        assert response.status_code == 201, response.content
        assert response.json()["status"] == "entered"
    else:
        _problem(response, 403)


def test_refusals_name_the_field(ew: EvalWorld, api_for: Any) -> None:
    client = api_for("coordinator")
    url = f"{BASE}/partenariat-a/indicators/{ew.share.pk}/measurements"
    body = _problem(_post(client, url, BODY | {"value": "101"}), 409)
    assert body["errors"][0]["field"] == "value"
    url = f"{BASE}/partenariat-a/indicators/{ew.jobs.pk}/measurements"
    body = _problem(_post(client, url, BODY | {"women": "1", "men": "2"}), 409)
    assert body["errors"][0]["field"] == "men"
    url = f"{BASE}/partenariat-a/indicators/{ew.quality.pk}/measurements"
    body = _problem(_post(client, url, BODY), 409)
    assert body["errors"][0]["field"] == "value"
    url = f"{BASE}/partenariat-a/indicators/{ew.count.pk}/measurements"
    body = _problem(_post(client, url, BODY | {"period_start": "2024-01-01"}), 409)
    assert body["errors"][0]["field"] == "period_start"
    assert not Measurement.objects.exists()
    _problem(_post(client, f"{BASE}/partenariat-b/indicators/{ew.count.pk}/measurements", BODY),
             404)  # fmt: skip


def test_validate(ew: EvalWorld, api_for: Any) -> None:
    row = ew.measure(ew.count, "110")
    url = f"{BASE}/partenariat-a/measurements/{row.pk}/validate"
    _problem(_post(api_for("board_member"), url), 403)
    _problem(_post(api_for("coordinator"), url), 403)
    response = _post(api_for("auditor"), url)
    assert response.status_code == 200 and response.json()["status"] == "validated"
    row.refresh_from_db()
    assert row.status == MeasurementStatus.VALIDATED
    _problem(_post(api_for("officer"), url), 409)  # already validated
