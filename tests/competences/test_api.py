"""API of key people's competences and training: read routes per role (404 for outsiders and
the other authority), content, problem JSON, fixed query counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sharaka.accounts.models import ApiToken
from sharaka.competences import services
from sharaka.competences.models import TrainingSession
from tests.competences.conftest import CompetenceWorld
from tests.conftest import ROLES, World
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
BASE = "/api/competences/partnerships"
NO_READ = {"other_officer", "outsider"}


@pytest.fixture
def api_for(world: World) -> Any:
    def make(role: str) -> Client:
        _token, raw = ApiToken.issue(user=world.user(role), name="tests")
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return make


def _session(cw: CompetenceWorld, topic: str = "Gestion") -> TrainingSession:
    start = timezone.localdate() + dt.timedelta(days=3)
    session = services.session_create(
        by=cw.w.officer, partnership=cw.w.a, competences=[cw.management],
        fields={"topic": topic, "trainer": "DGCT", "level_reached": 3, "start_date": start,
                "end_date": start + dt.timedelta(days=1)},
    )  # fmt: skip
    services.participant_add(by=cw.w.officer, session=session, person=cw.coordinator)
    return session


def _urls(cw: CompetenceWorld) -> list[str]:
    session = _session(cw)
    return [
        f"{BASE}/{cw.w.a.slug}/matrix",
        f"{BASE}/{cw.w.a.slug}/people/{cw.coordinator.pk}",
        f"{BASE}/{cw.w.a.slug}/training",
        f"{BASE}/{cw.w.a.slug}/training/{session.pk}",
    ]


@pytest.mark.parametrize("role", ROLES)
def test_read_routes_per_role(cw: CompetenceWorld, api_for: Any, role: str) -> None:
    client = api_for(role)
    for url in _urls(cw):
        response = client.get(url)
        expected = 404 if role in NO_READ else 200
        assert response.status_code == expected, (role, url)
        if expected == 404:
            assert response["Content-Type"] == "application/problem+json"


def test_without_a_token_401_and_other_partnership_404(cw: CompetenceWorld,
                                                        api_for: Any) -> None:  # fmt: skip
    urls = _urls(cw)
    assert Client().get(urls[0]).status_code == 401
    client = api_for("coordinator")
    assert client.get(f"{BASE}/{cw.w.b.slug}/matrix").status_code == 404
    stranger = PersonFactory(last_name="Inconnu")
    assert client.get(f"{BASE}/{cw.w.a.slug}/people/{stranger.pk}").status_code == 404
    other = _session(cw)
    TrainingSession.objects.filter(pk=other.pk).update(partnership=cw.w.b)
    assert client.get(f"{BASE}/{cw.w.a.slug}/training/{other.pk}").status_code == 404
    assert client.post(urls[0]).status_code == 405


def test_matrix_profile_and_training_content(cw: CompetenceWorld, api_for: Any) -> None:
    session = _session(cw)
    client = api_for("coordinator")
    matrix = client.get(f"{BASE}/{cw.w.a.slug}/matrix").json()
    assert [c["code"] for c in matrix["competences"]] == ["gestion", "jeunesse"]
    assert matrix["competences"][0]["label_ar"] == "تدبير المرافق"
    assert matrix["gaps"] == [{"person_id": cw.coordinator.pk, "role": "coordinator",
                               "competence": "gestion", "required": 3, "held": 2}]  # fmt: skip
    row = next(r for r in matrix["people"] if r["person_id"] == cw.coordinator.pk)
    assert row["gaps"] == 1 and {"competence": "gestion", "required": 3, "held": 2} in row["cells"]
    arabic = client.get(f"{BASE}/{cw.w.a.slug}/matrix", HTTP_ACCEPT_LANGUAGE="ar").json()
    assert arabic["competences"][0]["label"] == "تدبير المرافق"
    profile = client.get(f"{BASE}/{cw.w.a.slug}/people/{cw.coordinator.pk}").json()
    assert profile["holdings"] == [{"competence": "gestion", "label": "Gestion d'équipement",
                                    "level": 2, "evidence": "", "session_id": None}]  # fmt: skip
    plan = client.get(f"{BASE}/{cw.w.a.slug}/training").json()
    assert [s["id"] for s in plan] == [session.pk]
    assert plan[0]["competences"] == ["gestion"] and plan[0]["status"] == "planned"
    expected = {"person_id": cw.coordinator.pk, "name": str(cw.coordinator), "attended": False}
    assert plan[0]["participants"] == [expected]
    one = client.get(f"{BASE}/{cw.w.a.slug}/training/{session.pk}").json()
    assert one["topic"] == "Gestion" and one["level_reached"] == 3


def test_query_counts_do_not_grow(cw: CompetenceWorld, api_for: Any,
                                  django_assert_num_queries: Any) -> None:  # fmt: skip
    client = api_for("coordinator")
    session = _session(cw)
    urls = [f"{BASE}/{cw.w.a.slug}/matrix", f"{BASE}/{cw.w.a.slug}/training",
            f"{BASE}/{cw.w.a.slug}/training/{session.pk}"]  # fmt: skip
    counts = {}
    for url in urls:
        client.get(url)
        with CaptureQueriesContext(connection) as small:
            assert client.get(url).status_code == 200
        counts[url] = len(small)
    for i in range(4):
        extra = _session(cw, topic=f"Session {i}")
        person = PersonFactory(last_name=f"P{i}")
        cw.sw.staff(person, role="facilitator", share="10")
        services.participant_add(by=cw.w.officer, session=extra, person=person)
        services.participant_add(by=cw.w.officer, session=session, person=person)
    for url in urls:
        with django_assert_num_queries(counts[url]):
            assert client.get(url).status_code == 200
