"""Evaluation pages: access per role on every route (404 for strangers, 403 for refused
actions), the monitoring page (statuses labelled, charts, filters, empty state, a fixed
number of queries), and the form pages (refusals on their field)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from sharaka.evaluation import services
from sharaka.evaluation.models import Measurement, MeasurementStatus, Result
from tests.conftest import ROLES
from tests.evaluation.conftest import EvalWorld, make_indicator
from tests.planning.conftest import PlanWorld

pytestmark = pytest.mark.django_db

READERS = {"admin", "officer", "coordinator", "board_member", "treasurer", "auditor"}
CHANGERS = {"admin", "officer", "coordinator"}
VALIDATORS = {"admin", "officer", "auditor"}
Q1 = (date(2025, 1, 1), date(2025, 3, 31))


@pytest.fixture
def measured(ew: EvalWorld) -> EvalWorld:
    ew.measure(ew.count, "110", evidence=SimpleUploadedFile("p.pdf", b"%PDF-1.4\n%%EOF\n"))
    return ew


def _urls(ew: EvalWorld) -> tuple[list[str], list[str], list[str]]:
    slug = ew.w.a.slug
    row = Measurement.objects.get()
    target = ew.count.targets.first()
    assert target is not None
    read = [
        reverse("evaluation:overview", args=[slug]),
        reverse("evaluation:indicator", args=[slug, ew.count.pk]),
        reverse("evaluation:evidence", args=[slug, row.pk, row.evidence.get().pk]),
    ]
    change = [
        reverse("evaluation:result_create", args=[slug]),
        reverse("evaluation:result_edit", args=[slug, ew.result.pk]),
        reverse("evaluation:indicator_create", args=[slug, ew.result.pk]),
        reverse("evaluation:indicator_edit", args=[slug, ew.count.pk]),
        reverse("evaluation:target_add", args=[slug, ew.count.pk]),
        reverse("evaluation:target_edit", args=[slug, ew.count.pk, target.pk]),
        reverse("evaluation:measurement_enter", args=[slug, ew.count.pk]),
        reverse("evaluation:measurement_correct", args=[slug, row.pk]),
        reverse("evaluation:measurement_import", args=[slug]),
        reverse("evaluation:import_template", args=[slug]),
        reverse("evaluation:gender_marker", args=[slug]),
    ]
    validate = [reverse("evaluation:measurement_validate", args=[slug, row.pk])]
    return read, change, validate


@pytest.mark.parametrize("role", [*ROLES, None])
def test_access_per_role_on_every_route(
    measured: EvalWorld, client_for: Any, role: str | None
) -> None:
    read, change, validate = _urls(measured)
    client = client_for(role)
    for url in read + change + validate:
        response = client.get(url)
        if role is None:
            assert response.status_code == 302 and "/comptes/connexion/" in response["Location"]
        elif role not in READERS:
            assert response.status_code == 404, (role, url)
        elif (url in change and role not in CHANGERS) or (
            url in validate and role not in VALIDATORS
        ):
            assert response.status_code == 403, (role, url)
        else:
            assert response.status_code == 200, (role, url, response.status_code)


@pytest.mark.parametrize("role", ["coordinator", "board_member", "auditor"])
def test_member_of_a_gets_404_on_b(measured: EvalWorld, client_for: Any, role: str) -> None:
    client = client_for(role)
    assert client.get(reverse("evaluation:overview", args=[measured.w.b.slug])).status_code == 404
    url = reverse("evaluation:indicator", args=[measured.w.b.slug, measured.count.pk])
    assert client_for("admin").get(url).status_code == 404


def test_the_tab_is_no_longer_a_placeholder(ew: EvalWorld, client_for: Any) -> None:
    html = client_for("board_member").get(reverse("partnerships:detail", args=[ew.w.a.slug]))
    assert reverse("evaluation:overview", args=[ew.w.a.slug]) in html.content.decode()


def test_empty_state(world: Any, client_for: Any) -> None:
    html = client_for("coordinator").get(reverse("evaluation:overview", args=[world.a.slug]))
    text = html.content.decode()
    assert "Aucun cadre de résultats" in text
    assert reverse("evaluation:result_create", args=[world.a.slug]) in text


def test_overview_shows_labelled_statuses_and_charts(ew: EvalWorld, client_for: Any) -> None:
    ew.measure(ew.count, "150", period=(date(2025, 10, 1), date(2025, 12, 31)))  # achieved Y1
    ew.measure(ew.energy, "990", period=(date(2025, 10, 1), date(2025, 12, 31)))  # off track
    ew.measure(ew.share, "40", period=(date(2025, 1, 1), date(2025, 1, 1)))  # not due
    html = client_for("board_member").get(reverse("evaluation:overview", args=[ew.w.a.slug]))
    text = html.content.decode()
    assert 'class="badge progress-achieved">Atteint<' in text
    assert 'class="badge progress-off_track">En retard<' in text
    assert 'class="badge progress-not_due">Pas encore dû<' in text
    assert 'class="badge progress-qualitative">Qualitatif<' in text
    assert text.count('<svg class="chart trend-chart"') == 4  # every numeric indicator
    assert "Seuils par défaut" in text
    assert "style=" not in text.split("<main")[1]
    assert reverse("evaluation:result_create", args=[ew.w.a.slug]) not in text  # a reader


def test_filters(ew: EvalWorld, client_for: Any) -> None:
    ew.measure(ew.count, "150", period=(date(2025, 10, 1), date(2025, 12, 31)))
    other = services.result_create(
        by=ew.w.coordinator, partnership=ew.w.a, fields={"kind": "impact", "title": "Impact"}
    )
    make_indicator(ew.w, other, "Santé", "unit", "1", ("2", "3"))
    url = reverse("evaluation:overview", args=[ew.w.a.slug])
    client = client_for("auditor")
    text = client.get(url, {"status": "achieved"}).content.decode()
    assert "Inscrits" in text and "Énergie" not in text and "Santé" not in text
    text = client.get(url, {"result": other.pk}).content.decode()
    assert "Santé" in text and "Inscrits" not in text
    # at the end of 2024, before any measurement: nothing measured yet
    text = client.get(url, {"year": "2025", "status": "achieved"}).content.decode()
    assert "Inscrits" in text
    text = client.get(url, {"result": "x", "status": "bogus", "year": "99999999999"})
    assert text.status_code == 200


def test_the_period_filter_goes_back_in_time(ew: EvalWorld, client_for: Any) -> None:
    ew.measure(ew.count, "150", period=(date(2026, 1, 1), date(2026, 3, 31)))
    url = reverse("evaluation:overview", args=[ew.w.a.slug])
    text = client_for("auditor").get(url, {"year": "2025", "status": "no_data"}).content.decode()
    assert "Inscrits" in text


def _grow(ew: EvalWorld, n: int) -> None:
    for i in range(n):
        indicator = make_indicator(ew.w, ew.result, f"Indicateur {i}", "unit", "0", ("10", "20"))
        for q in range(4):
            start = date(2025, 1, 1) + timedelta(days=91 * q)
            ew.measure(indicator, str(q + 1), period=(start, start + timedelta(days=80)))


def test_monitoring_queries_are_fixed(
    ew: EvalWorld, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    client: Client = client_for("coordinator")
    url = reverse("evaluation:overview", args=[ew.w.a.slug])
    _grow(ew, 1)
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow(ew, 6)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count('<svg class="chart trend-chart"') == 4 + 7


def test_indicator_page_queries_are_fixed(
    ew: EvalWorld, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client: Client = client_for("auditor")
    url = reverse("evaluation:indicator", args=[ew.w.a.slug, ew.count.pk])
    ew.measure(ew.count, "101")
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for q in range(1, 4):
        start = date(2025, 1, 1) + timedelta(days=91 * q)
        ew.measure(ew.count, str(101 + q), period=(start, start + timedelta(days=80)))
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


def test_enter_a_measurement_by_form(ew: EvalWorld, client_for: Any) -> None:
    url = reverse("evaluation:measurement_enter", args=[ew.w.a.slug, ew.jobs.pk])
    client = client_for("coordinator")
    form = {"period_start": "2025-01-01", "period_end": "2025-03-31", "measured_on": "2025-04-05",
            "value": "30", "women": "10", "men": "15", "source": "ANAPEC"}  # fmt: skip
    response = client.post(url, form)
    assert response.status_code == 200 and not Measurement.objects.exists()
    assert "Femmes et hommes doivent faire le total" in response.content.decode()
    assert response.context["form"].errors["men"]  # on the field, not at the top
    response = client.post(url, form | {"period_start": "2024-01-01", "men": "20"})
    assert "tenir dans une période" in response.content.decode()
    response = client.post(url, form | {"men": "20"})
    assert response.status_code == 302
    row = Measurement.objects.get()
    assert row.status == MeasurementStatus.ENTERED and row.entered_by == ew.w.coordinator


def test_validate_and_correct_by_pages(measured: EvalWorld, client_for: Any) -> None:
    row = Measurement.objects.get()
    slug = measured.w.a.slug
    validate = reverse("evaluation:measurement_validate", args=[slug, row.pk])
    assert client_for("auditor").post(validate).status_code == 302
    row.refresh_from_db()
    assert row.status == MeasurementStatus.VALIDATED
    correct = reverse("evaluation:measurement_correct", args=[slug, row.pk])
    response = client_for("coordinator").post(
        correct, {"period_start": "2025-01-01", "period_end": "2025-03-31",
                  "measured_on": "2025-05-01", "value": "112", "source": "Registre"},
    )  # fmt: skip
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == MeasurementStatus.SUPERSEDED
    page = client_for("board_member").get(
        reverse("evaluation:indicator", args=[slug, row.indicator_id])
    )
    text = page.content.decode()
    assert "Remplacée" in text and "corrige la mesure" in text


def test_result_and_indicator_forms(ew: EvalWorld, client_for: Any) -> None:
    client = client_for("coordinator")
    slug = ew.w.a.slug
    response = client.post(
        reverse("evaluation:result_create", args=[slug]),
        {"kind": "output", "title": "Terrains rénovés", "order": "2"},
    )
    assert response.status_code == 302
    result = Result.objects.get(title="Terrains rénovés")
    response = client.post(
        reverse("evaluation:indicator_create", args=[slug, result.pk]),
        {"result": result.pk, "title": "Terrains", "measure": "percentage",
         "direction": "ascending", "baseline_value": "120", "baseline_date": "2025-01-01",
         "order": "0"},
    )  # fmt: skip
    assert response.status_code == 200 and "100" in response.content.decode()
    response = client.post(
        reverse("evaluation:indicator_create", args=[slug, result.pk]),
        {"result": result.pk, "title": "Terrains", "measure": "unit", "direction": "ascending",
         "baseline_value": "0", "baseline_date": "2025-01-01", "order": "0"},
    )  # fmt: skip
    assert response.status_code == 302
    indicator = result.indicators.get()
    response = client.post(
        reverse("evaluation:target_add", args=[slug, indicator.pk]),
        {"period_start": "2025-01-01", "period_end": "2025-12-31", "value": "4"},
    )
    assert response.status_code == 302 and indicator.targets.get().value == Decimal(4)


def test_use_of_funds_beside_each_result(
    ew: EvalWorld, pw: PlanWorld, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    first, second = pw.activity("A1.1"), pw.activity("A1.2")
    pw.line(first, amounts={2025: Decimal("1000.00")})
    pw.line(second, amounts={2025: Decimal("500.00")})
    pw.adopt()
    services.indicator_update(
        by=ew.w.coordinator, indicator=ew.count, fields={"activities": [first, second]}
    )
    services.indicator_update(
        by=ew.w.coordinator, indicator=ew.share, fields={"activities": [first]}
    )
    client = client_for("treasurer")
    url = reverse("evaluation:overview", args=[ew.w.a.slug])
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        text = client.get(url).content.decode()
    flat = text.replace("\xa0", " ").replace("\u202f", " ")
    assert "activités A1.1, A1.2 — prévu 1 500,00 DH, dépensé 0,00 DH (0 %)" in flat
    # more indicators linked to more activities: the same number of queries
    third = make_indicator(ew.w, ew.result, "Encore", "unit", "0", ("1", "2"))
    services.indicator_update(by=ew.w.coordinator, indicator=third, fields={"activities": [second]})
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(url)
