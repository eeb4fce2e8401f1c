"""People's competences pages: access per role on every route, the gap matrix and its
export, forms with refusals on their field, a fixed number of queries."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from sharaka.competences import services
from sharaka.competences.models import Holding, Requirement, TrainingSession
from tests.competences.conftest import CompetenceWorld
from tests.conftest import ROLES
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

READERS = {"admin", "officer", "coordinator", "board_member", "treasurer", "auditor"}
CHANGERS = {"admin", "officer", "coordinator"}
SOON = date.today() + timedelta(days=3)


def _session(cw: CompetenceWorld, **extra: Any) -> TrainingSession:
    fields = {
        "topic": "Gestion d'un équipement sportif", "trainer": "CRMEF", "level_reached": 3,
        "start_date": SOON, "end_date": SOON + timedelta(days=1),
    } | extra  # fmt: skip
    return services.session_create(
        by=cw.w.coordinator, partnership=cw.w.a, fields=fields, competences=[cw.management]
    )


def _read_urls(cw: CompetenceWorld) -> list[str]:
    slug = cw.w.a.slug
    session = _session(cw)
    return [
        reverse("competences:matrix", kwargs={"slug": slug}),
        reverse("competences:matrix_export", kwargs={"slug": slug, "fmt": "xlsx"}),
        reverse("competences:person", kwargs={"slug": slug, "pk": cw.coordinator.pk}),
        reverse("competences:training", kwargs={"slug": slug}),
        reverse("competences:session", kwargs={"slug": slug, "pk": session.pk}),
    ]


def _change_urls(cw: CompetenceWorld) -> list[str]:
    slug = cw.w.a.slug
    session = _session(cw)
    return [
        reverse("competences:holding_set", kwargs={"slug": slug}),
        reverse("competences:requirement_set", kwargs={"slug": slug}),
        reverse("competences:session_create", kwargs={"slug": slug}),
        reverse("competences:participant_add", kwargs={"slug": slug, "pk": session.pk}),
        reverse("competences:session_complete", kwargs={"slug": slug, "pk": session.pk}),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_read_pages_answer_by_role(cw: CompetenceWorld, client_for: Any, role: str) -> None:
    client = client_for(role)
    for url in _read_urls(cw):
        status = client.get(url).status_code
        assert status == (200 if role in READERS else 404), (url, status)


@pytest.mark.parametrize("role", ROLES)
def test_change_pages_answer_by_role(cw: CompetenceWorld, client_for: Any, role: str) -> None:
    client = client_for(role)
    expected = 200 if role in CHANGERS else 403 if role in READERS else 404
    for url in _change_urls(cw):
        assert client.get(url).status_code == expected, url


def test_anonymous_goes_to_sign_in(cw: CompetenceWorld, client_for: Any) -> None:
    response = client_for(None).get(reverse("competences:matrix", kwargs={"slug": cw.w.a.slug}))
    assert response.status_code == 302


def test_another_partnership_person_or_session_is_not_found(
    cw: CompetenceWorld, client_for: Any
) -> None:
    client = client_for("coordinator")
    stranger = PersonFactory()
    url = reverse("competences:person", kwargs={"slug": cw.w.a.slug, "pk": stranger.pk})
    assert client.get(url).status_code == 404
    other = TrainingSession.objects.create(
        partnership=cw.w.b, topic="x", trainer="y", start_date=date(2026, 1, 1),
        end_date=date(2026, 1, 2),
    )  # fmt: skip
    url = reverse("competences:session", kwargs={"slug": cw.w.a.slug, "pk": other.pk})
    assert client.get(url).status_code == 404


def test_the_matrix_shows_the_gap(cw: CompetenceWorld, client_for: Any) -> None:
    response = client_for("officer").get(
        reverse("competences:matrix", kwargs={"slug": cw.w.a.slug})
    )
    page = response.content.decode()
    assert "1 écart" in page
    assert "Samira" in page and "Youssef" in page
    assert "2 / 3" in page  # the coordinator holds 2, the role requires 3
    assert (
        reverse("competences:matrix", kwargs={"slug": cw.w.a.slug})
        in client_for("officer")
        .get(reverse("structure:overview", kwargs={"slug": cw.w.a.slug}))
        .content.decode()
    )


def test_the_matrix_names_competences_in_the_page_language(
    cw: CompetenceWorld, client_for: Any
) -> None:
    url = reverse("competences:matrix", kwargs={"slug": cw.w.a.slug})
    client = client_for("officer")
    arabic = client.get(url, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "تدبير المرافق" in arabic and "Gestion d&#x27;équipement" not in arabic
    assert "Animation jeunesse" in arabic  # no Arabic label: the French one
    french = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Gestion d&#x27;équipement" in french and "تدبير المرافق" not in french


def test_the_xlsx_export_holds_the_matrix_and_the_gaps(
    cw: CompetenceWorld, client_for: Any
) -> None:
    response = client_for("auditor").get(
        reverse("competences:matrix_export", kwargs={"slug": cw.w.a.slug, "fmt": "xlsx"})
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    matrix, gaps = book.worksheets
    rows = list(matrix.iter_rows(values_only=True))
    assert rows[0][:3] == ("Nom", "Prénom", "Rôle")
    assert len(rows) == 3
    gap_rows = list(gaps.iter_rows(values_only=True))[1:]
    assert gap_rows == [("Samira Alaoui", "Coordinateur·rice", "Gestion d'équipement", 3, 2, 1)]
    other = reverse("competences:matrix_export", kwargs={"slug": cw.w.a.slug, "fmt": "ods"})
    assert client_for("auditor").get(other).status_code == 404


def test_matrix_query_count_does_not_grow(
    cw: CompetenceWorld, client_for: Any, django_assert_num_queries: Any
) -> None:
    client = client_for("officer")
    url = reverse("competences:matrix", kwargs={"slug": cw.w.a.slug})
    _session(cw)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for _ in range(5):
        person = PersonFactory()
        cw.sw.staff(person, role="team_member", share="10")
        Holding.objects.create(person=person, competence=cw.youth, level=1)
    Requirement.objects.create(role="team_member", competence=cw.management, level=1)
    _session(cw)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("badge bad") >= 6


def test_holding_form_sets_a_level(cw: CompetenceWorld, client_for: Any) -> None:
    url = reverse("competences:holding_set", kwargs={"slug": cw.w.a.slug})
    response = client_for("coordinator").post(
        url, {"person": cw.coordinator.pk, "competence": cw.management.pk, "level": 3,
              "evidence": "Master en management du sport"},
    )  # fmt: skip
    assert response.status_code == 302
    assert Holding.objects.get(person=cw.coordinator, competence=cw.management).level == 3


def test_holding_form_refuses_someone_outside_the_structure(
    cw: CompetenceWorld, client_for: Any
) -> None:
    url = reverse("competences:holding_set", kwargs={"slug": cw.w.a.slug})
    stranger = PersonFactory()
    response = client_for("coordinator").post(
        url, {"person": stranger.pk, "competence": cw.management.pk, "level": 3}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["person"]


def test_session_form_refuses_end_before_start(cw: CompetenceWorld, client_for: Any) -> None:
    url = reverse("competences:session_create", kwargs={"slug": cw.w.a.slug})
    response = client_for("coordinator").post(
        url, {"topic": "Gestion", "trainer": "X", "level_reached": 2, "competences": [cw.youth.pk],
              "start_date": "2027-02-10", "end_date": "2027-02-01"},
    )  # fmt: skip
    assert response.status_code == 200
    assert response.context["form"].errors["end_date"]
    assert not TrainingSession.objects.exists()


def test_session_from_form_then_participant_then_completion(
    cw: CompetenceWorld, client_for: Any
) -> None:
    client = client_for("coordinator")
    slug = cw.w.a.slug
    response = client.post(
        reverse("competences:session_create", kwargs={"slug": slug}),
        {"topic": "Gestion", "trainer": "X", "level_reached": 3, "competences": [cw.management.pk],
         "start_date": "2026-02-01", "end_date": "2026-02-03", "cost": "12000"},
    )  # fmt: skip
    session = TrainingSession.objects.get()
    assert response.status_code == 302
    response = client.post(
        reverse("competences:participant_add", kwargs={"slug": slug, "pk": session.pk}),
        {"person": cw.coordinator.pk},
    )
    assert response.status_code == 302
    participant = session.participants.get()
    response = client.post(
        reverse("competences:session_complete", kwargs={"slug": slug, "pk": session.pk}),
        {"attended": [participant.pk], "completed_on": "2026-02-03"},
    )
    assert response.status_code == 302
    assert Holding.objects.get(person=cw.coordinator, competence=cw.management).level == 3
    page = client.get(reverse("competences:matrix", kwargs={"slug": slug})).content.decode()
    assert "Aucun écart" in page
