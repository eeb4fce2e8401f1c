"""The audit API: plan, checks, engagements, findings, recommendations with their follow-up;
per role (the auditor's access ends with the engagement), key paging, fixed queries."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from sharaka.accounts.models import ApiToken
from sharaka.audit import engagements, plans, recommendations, services
from sharaka.audit.models import CheckRun
from sharaka.core.access import forget_grants
from tests.audit.conftest import AuditWorld
from tests.audit.test_engagements import TODAY, _engaged, _finding
from tests.audit.test_plan import READERS, expected
from tests.audit.test_recommendations import party
from tests.conftest import ROLES, World
from tests.factories import UserFactory

BASE = "/api/audit/partnerships/partenariat-a"
LISTS = ("plan", "engagements", "findings", "recommendations", "checks")


@pytest.fixture
def api_for(world: World) -> Any:
    def make(role: str, user: Any = None, scope: str = "write") -> Client:
        _token, raw = ApiToken.issue(user=user or world.user(role), name="tests", scope=scope)
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return make


def _data(aw: AuditWorld, findings: int = 2) -> Any:
    audit = _engaged(aw, sampled=2)
    for i in range(findings):
        finding = engagements.finding_add(by=aw.w.auditor, audit=audit, fields=_finding())
        rec = recommendations.recommendation_add(
            by=aw.w.auditor, finding=finding,
            fields={"text": f"R{i}", "owner_party": party(aw), "due_on": TODAY},
        )  # fmt: skip
        recommendations.follow_up_add(
            by=aw.w.coordinator, recommendation=rec, text="Commencé", status="in_progress"
        )
    services.check_run(by=aw.w.coordinator, partnership=aw.w.a)
    return audit


@pytest.mark.parametrize("role", ROLES)
def test_each_list_per_role(aw: AuditWorld, api_for: Any, role: str) -> None:
    audit = _data(aw)
    client = api_for(role)
    for name in (*LISTS, f"engagements/{audit.pk}"):
        response = client.get(f"{BASE}/{name}")
        assert response.status_code == expected(role, READERS), (role, name)
        if response.status_code != 200:
            assert response["Content-Type"] == "application/problem+json"
    run = client.post(f"{BASE}/checks")
    runners = {"admin", "officer", "coordinator", "auditor"}
    assert run.status_code == (201 if role in runners else expected(role, runners)), role


def test_the_lists_hold_what_the_pages_show(aw: AuditWorld, api_for: Any) -> None:
    audit = _data(aw)
    client = api_for("auditor")
    plan = client.get(f"{BASE}/plan").json()
    assert {a["id"] for a in plan["items"]} >= {audit.pk} and plan["next_after"] is None
    (engagement,) = client.get(f"{BASE}/engagements").json()["items"]
    assert engagement["id"] == audit.pk and engagement["sample"] == audit.sample
    assert engagement["sample_seed"] == 3 and engagement["auditor_id"] == aw.w.auditor.pk
    findings = client.get(f"{BASE}/findings", {"engagement": audit.pk}).json()["items"]
    assert [f["number"] for f in findings] == [1, 2]
    assert findings[0]["severity"] == "high" and findings[0]["open"] is True
    recs = client.get(f"{BASE}/recommendations").json()["items"]
    assert [r["status"] for r in recs] == ["in_progress", "in_progress"]
    assert recs[0]["follow_ups"][0]["text"] == "Commencé" and recs[0]["overdue"] is False
    checks = client.get(f"{BASE}/checks").json()
    assert checks["run"]["trigger"] == "user"
    assert len(checks["items"]) == checks["run"]["finding_count"]
    for item in checks["items"]:
        assert item["title"] and item["message"] and isinstance(item["records"], list)
    missing = client.get(f"{BASE}/engagements/999999")
    assert missing.status_code == 404


def test_checks_before_any_run_and_a_run(aw: AuditWorld, api_for: Any) -> None:
    client = api_for("coordinator")
    assert client.get(f"{BASE}/checks").json() == {"run": None, "items": [], "next_after": None}
    response = client.post(f"{BASE}/checks")
    assert response.status_code == 201 and CheckRun.objects.count() == 1
    assert api_for("coordinator", scope="read").post(f"{BASE}/checks").status_code == 403
    assert CheckRun.objects.count() == 1


def test_lists_are_paged_by_key(aw: AuditWorld, api_for: Any, monkeypatch: Any) -> None:
    from sharaka.audit import api

    _data(aw, findings=5)
    monkeypatch.setattr(api, "API_PAGE", 2)
    client = api_for("officer")
    for name in ("findings", "recommendations", "plan"):
        ids: list[int] = []
        after: int | None = None
        while True:
            params = {"after": after} if after else {}
            page = client.get(f"{BASE}/{name}", params).json()
            ids += [item["id"] for item in page["items"]]
            after = page["next_after"]
            if after is None:
                break
        assert ids == sorted(ids) and len(ids) == len(set(ids)) and len(ids) >= 5, name
    for bad in ("0", "-1", "abc", str(2**64)):
        assert client.get(f"{BASE}/findings", {"after": bad}).status_code == 422


def test_the_auditor_reads_only_during_the_engagement(aw: AuditWorld, api_for: Any) -> None:
    external = UserFactory(username="cabinet")
    _engaged(aw, external)
    client = api_for("auditor", user=external)
    assert client.get(f"{BASE}/findings").status_code == 200
    plans.audit_update(
        by=aw.w.coordinator, audit=aw.audit(),
        fields={"starts_on": date(2025, 3, 1), "ends_on": date(2025, 3, 31)},
    )  # fmt: skip
    forget_grants(external)
    for name in LISTS:
        assert client.get(f"{BASE}/{name}").status_code == 404, name


def test_lists_in_fixed_queries(
    aw: AuditWorld, api_for: Any, django_assert_max_num_queries: Any
) -> None:
    audit = _data(aw, findings=1)
    client = api_for("officer")

    def counts() -> list[int]:
        found = []
        for name in LISTS:
            with django_assert_max_num_queries(20) as counted:
                assert client.get(f"{BASE}/{name}").status_code == 200
            found.append(len(counted.captured_queries))
        return found

    small = counts()
    for i in range(5):
        finding = engagements.finding_add(by=aw.w.auditor, audit=audit, fields=_finding())
        rec = recommendations.recommendation_add(
            by=aw.w.auditor, finding=finding,
            fields={"text": f"S{i}", "owner_party": party(aw), "due_on": TODAY},
        )  # fmt: skip
        recommendations.follow_up_add(
            by=aw.w.coordinator, recommendation=rec, text="Fait", status="done"
        )
    assert counts() == small


def test_the_openapi_document_names_the_audit_schemas() -> None:
    from sharaka.api import api

    schemas = api.get_openapi_schema()["components"]["schemas"]
    assert {
        "AuditPlanPage", "AuditEngagementOut", "AuditFindingPage", "AuditRecommendationOut",
        "AuditFollowUpOut", "AuditCheckPage", "AuditCheckFindingOut",
    } <= set(schemas)  # fmt: skip
