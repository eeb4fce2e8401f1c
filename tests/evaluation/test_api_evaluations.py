"""API reads of evaluations and recommendations: per role (404 for outsiders), key paging,
a fixed number of queries."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from sharaka.accounts.models import ApiToken
from sharaka.evaluation import services
from tests.conftest import ROLES, World
from tests.evaluation.test_evaluations import _judge_all, _plan

pytestmark = pytest.mark.django_db
BASE = "/api/evaluation/partnerships/partenariat-a"
READERS = {"admin", "officer", "coordinator", "board_member", "treasurer", "auditor"}


@pytest.fixture
def api_for(world: World) -> Any:
    def make(role: str) -> Client:
        _token, raw = ApiToken.issue(user=world.user(role), name="tests")
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return make


def _evaluation(w: World, n: int = 0) -> Any:
    evaluation = _plan(w, title=f"Évaluation {n}", planned_on=date(2026, 6, 30))
    _judge_all(w, evaluation)
    for k in range(2):
        services.recommendation_add(
            by=w.auditor, evaluation=evaluation,
            fields={"text": f"Recommandation {n}.{k}", "owner": "Coordinateur",
                    "due_on": date(2026, 1, 31 - k)},
        )  # fmt: skip
    return evaluation


@pytest.mark.parametrize("role", ROLES)
def test_read_per_role(world: World, api_for: Any, role: str) -> None:
    evaluation = _evaluation(world)
    client = api_for(role)
    urls = [f"{BASE}/evaluations", f"{BASE}/evaluations/{evaluation.pk}", f"{BASE}/recommendations"]
    for url in urls:
        response = client.get(url)
        if role not in READERS:
            assert response.status_code == 404, (role, url)
            assert response["Content-Type"] == "application/problem+json"
            continue
        assert response.status_code == 200, (role, url, response.content)
    if role in READERS:
        page = client.get(f"{BASE}/evaluations").json()
        (item,) = page["items"]
        assert page["next_after"] is None
        assert item["title"] == "Évaluation 0" and len(item["judgements"]) == 6
        assert [r["due_on"] for r in item["recommendations"]] == ["2026-01-30", "2026-01-31"]
        recs = client.get(f"{BASE}/recommendations").json()["items"]
        assert {r["evaluation_id"] for r in recs} == {evaluation.pk} and len(recs) == 2


def test_an_evaluation_of_another_partnership_is_404(world: World, api_for: Any) -> None:
    evaluation = _evaluation(world)
    other = world.b.slug if hasattr(world, "b") else "inconnu"
    response = api_for("admin").get(
        f"/api/evaluation/partnerships/{other}/evaluations/{evaluation.pk}"
    )
    assert response.status_code == 404
    assert api_for("admin").get(f"{BASE}/evaluations/999999").status_code == 404


def test_key_paging_and_fixed_queries(
    world: World, api_for: Any, django_assert_max_num_queries: Any, monkeypatch: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sharaka.evaluation import evaluation_selectors

    client = api_for("board_member")
    _evaluation(world, 0)
    with CaptureQueriesContext(connection) as small:
        client.get(f"{BASE}/evaluations")
    for n in range(1, 5):
        _evaluation(world, n)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(f"{BASE}/evaluations")
    monkeypatch.setattr(evaluation_selectors, "API_PAGE", 2)
    seen: list[str] = []
    after: int | None = None
    pages = 0
    while True:
        pages += 1
        url = f"{BASE}/evaluations" + (f"?after={after}" if after else "")
        page = client.get(url).json()
        seen += [item["title"] for item in page["items"]]
        after = page["next_after"]
        if after is None:
            break
    assert seen == [f"Évaluation {n}" for n in range(5)] and pages == 3
