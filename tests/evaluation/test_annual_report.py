"""The annual evaluation report beyond its PDF (issue 14): the DOCX in fr/ar/en (opened with
python-docx: headings, tables, numbers, right to left only in Arabic), the "constraints"
section (recorded constraints and the plan's late or cancelled activities) with its form
pages per role, and the gender equality marker in both formats."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn

from sharaka.core.errors import AccessDenied, ValidationFailed
from sharaka.evaluation import report, services
from sharaka.evaluation.models import Constraint
from sharaka.partnerships.models import Partnership
from tests.conftest import ROLES
from tests.evaluation.conftest import EvalWorld
from tests.planning.conftest import PlanWorld

pytestmark = pytest.mark.django_db

READERS = {"admin", "officer", "coordinator", "board_member", "treasurer", "auditor"}
CHANGERS = {"admin", "officer", "coordinator"}
CONSTRAINT = {
    "year": 2026, "kind": "financial", "description": "Versement de la Région retardé",
    "effect": "Travaux décalés d'un trimestre", "response": "Relance du comité",
}  # fmt: skip


@pytest.fixture
def full(ew: EvalWorld, pw: PlanWorld) -> EvalWorld:
    """The evaluation world with a plan in force (one activity late), a constraint of 2026,
    the gender marker and a measurement."""
    pw.activity("A1.1", status="delayed", progress=40)
    pw.activity("A1.2", status="done", progress=100)
    pw.adopt()
    services.constraint_add(by=ew.w.coordinator, partnership=ew.w.a, fields=CONSTRAINT)
    services.gender_marker_set(
        by=ew.w.coordinator, partnership=ew.w.a,
        fields={"significance": 2, "justification": "Emploi des jeunes femmes"},
    )  # fmt: skip
    ew.measure(ew.count, "150", period=(date(2026, 1, 1), date(2026, 3, 31)))
    return ew


def _docx(client: Any, slug: str, lang: str) -> Any:
    url = reverse("evaluation:annual_report_docx", args=[slug, 2026, lang])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert f"-2026-{lang}.docx" in response["Content-Disposition"]
    return Document(io.BytesIO(response.content))


def _text(document: Any) -> str:
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _rtl(document: Any) -> bool:
    body = document.element.body
    return bool(body.findall(".//" + qn("w:bidi")) or body.findall(".//" + qn("w:rtl")))


def test_the_docx_in_french_has_the_sections_tables_and_figures(
    full: EvalWorld, client_for: Any
) -> None:
    document = _docx(client_for("board_member"), full.w.a.slug, "fr")
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    for title in ("Exécution du plan d'action", "Indicateurs et moyens par résultat",
                  "Égalité femmes-hommes", "Contraintes rencontrées",
                  "Activités en retard ou annulées", "Évaluations de l'année",
                  "Suivi des recommandations"):  # fmt: skip
        assert title in headings, title
    text = _text(document)
    assert "Rapport annuel d'évaluation 2026" in text
    assert "Taux d'achèvement moyen des 2 activités du plan en vigueur : 70 %." in text
    assert "Versement de la Région retardé" in text and "Relance du comité" in text
    assert "A1.1 — Activité A1.1" in text and "A1.2 — Activité A1.2" not in text
    assert "2 — objectif principal" in text and "Emploi des jeunes femmes" in text
    indicators = next(t for t in document.tables if t.rows[0].cells[0].text == "Indicateur")
    row = next(r for r in indicators.rows if r.cells[0].text == full.count.title)
    assert row.cells[2].text.startswith("150")
    assert not _rtl(document)


@pytest.mark.parametrize(("lang", "heading"), [("ar", "القيود"), ("en", "Constraints")])
def test_the_docx_in_arabic_and_english(
    full: EvalWorld, client_for: Any, lang: str, heading: str
) -> None:
    document = _docx(client_for("auditor"), full.w.a.slug, lang)
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert any(heading in h for h in headings), headings
    assert _rtl(document) is (lang == "ar")


def test_the_docx_route_answers_404_outside_and_for_an_unknown_language(
    full: EvalWorld, client_for: Any
) -> None:
    slug = full.w.a.slug
    url = reverse("evaluation:annual_report_docx", args=[slug, 2026, "fr"])
    assert client_for("outsider").get(url).status_code == 404
    assert client_for("other_officer").get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302
    bad = reverse("evaluation:annual_report_docx", args=[slug, 2026, "de"])
    assert client_for("admin").get(bad).status_code == 404
    page = client_for("board_member").get(reverse("evaluation:evaluations", args=[slug]))
    assert url in page.content.decode()


def test_the_pdf_shows_the_constraints_and_the_gender_marker(full: EvalWorld) -> None:
    html = report.render_html(report.report_get(partnership=full.w.a, year=2026, lang="fr"))
    assert "Contraintes rencontrées" in html and "Versement de la Région retardé" in html
    assert "Activités en retard ou annulées" in html and "A1.1 — Activité A1.1" in html
    assert "2 — objectif principal" in html
    html_2025 = report.render_html(report.report_get(partnership=full.w.a, year=2025, lang="fr"))
    assert "Versement de la Région retardé" not in html_2025  # a constraint of its year only
    assert "Aucune contrainte enregistrée pour l'année." in html_2025


def test_the_docx_keeps_a_fixed_number_of_queries(ew: EvalWorld, pw: PlanWorld) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as counted:
            report.render_docx(report.report_get(partnership=ew.w.a, year=2026, lang="ar"))
        return len(counted.captured_queries)

    pw.activity("A1.1", status="delayed")
    pw.adopt()
    services.constraint_add(by=ew.w.coordinator, partnership=ew.w.a, fields=CONSTRAINT)
    small = queries()
    for i in range(6):
        services.constraint_add(
            by=ew.w.coordinator, partnership=ew.w.a, fields={**CONSTRAINT, "kind": "human"}
        )
        ew.measure(ew.count, str(110 + i), period=(date(2026, 1, 1), date(2026, 3, 31)))
    assert queries() == small


# --- Constraints: service and pages --------------------------------------------------------


def test_constraints_are_recorded_and_edited_with_history(ew: EvalWorld) -> None:
    c = services.constraint_add(by=ew.w.officer, partnership=ew.w.a, fields=CONSTRAINT)
    assert c.recorded_by == ew.w.officer
    services.constraint_update(by=ew.w.coordinator, constraint=c, fields={"response": "Avenant"})
    c.refresh_from_db()
    assert c.response == "Avenant" and c.history.count() == 2


@pytest.mark.parametrize(
    ("change", "field"), [({"year": 1999}, "year"), ({"kind": "weather"}, "kind"),
                          ({"description": ""}, "description")],
)  # fmt: skip
def test_a_bad_constraint_is_refused_on_its_field(
    ew: EvalWorld, change: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        services.constraint_add(
            by=ew.w.coordinator, partnership=ew.w.a, fields={**CONSTRAINT, **change}
        )
    assert field in refused.value.errors
    assert not Constraint.objects.exists()


def test_readers_may_not_record_a_constraint(ew: EvalWorld) -> None:
    for user in (ew.w.board_member, ew.w.auditor, ew.w.treasurer):
        with pytest.raises(AccessDenied):
            services.constraint_add(by=user, partnership=ew.w.a, fields=CONSTRAINT)
    assert not Constraint.objects.exists()


def test_no_constraint_on_a_terminated_partnership(ew: EvalWorld) -> None:
    Partnership.objects.filter(pk=ew.w.a.pk).update(status="terminated")
    ew.w.a.refresh_from_db()
    with pytest.raises(AccessDenied):
        services.constraint_add(by=ew.w.coordinator, partnership=ew.w.a, fields=CONSTRAINT)


@pytest.mark.parametrize("role", [*ROLES, None])
def test_constraint_pages_per_role(ew: EvalWorld, client_for: Any, role: str | None) -> None:
    slug = ew.w.a.slug
    c = services.constraint_add(by=ew.w.coordinator, partnership=ew.w.a, fields=CONSTRAINT)
    urls = [reverse("evaluation:constraint_add", args=[slug]),
            reverse("evaluation:constraint_edit", args=[slug, c.pk])]  # fmt: skip
    client = client_for(role)
    for url in urls:
        status = client.get(url).status_code
        if role is None:
            assert status == 302
        elif role not in READERS:
            assert status == 404, (role, url)
        elif role not in CHANGERS:
            assert status == 403, (role, url)
        else:
            assert status == 200, (role, url)
    listed = client.get(reverse("evaluation:evaluations", args=[slug]))
    if role in READERS:
        assert "Versement de la Région retardé" in listed.content.decode()


def test_the_coordinator_records_a_constraint_through_the_form(
    ew: EvalWorld, client_for: Any
) -> None:
    slug = ew.w.a.slug
    url = reverse("evaluation:constraint_add", args=[slug])
    client = client_for("coordinator")
    refused = client.post(url, {**CONSTRAINT, "year": "1990"})
    assert refused.status_code == 200 and not Constraint.objects.exists()
    done = client.post(url, CONSTRAINT)
    assert done.status_code == 302 and done["Location"].endswith("/evaluations/")
    c = Constraint.objects.get()
    edit = reverse("evaluation:constraint_edit", args=[slug, c.pk])
    assert client.post(edit, {**CONSTRAINT, "effect": "Aucun"}).status_code == 302
    c.refresh_from_db()
    assert c.effect == "Aucun"
    other = services.constraint_add(by=ew.w.admin, partnership=ew.w.b, fields=CONSTRAINT)
    assert client_for("admin").get(
        reverse("evaluation:constraint_edit", args=[slug, other.pk])
    ).status_code == 404  # fmt: skip
