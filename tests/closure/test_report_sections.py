"""The closure report's plan completion, results and audit status sections: real numbers
from the fixture in the PDF (pdftotext) and the DOCX, in French, Arabic and English, and a
fixed number of queries as the rows grow."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sharaka.audit.models import Audit, AuditFinding, CheckRun, Recommendation
from sharaka.closure import report
from sharaka.closure.report_sections import audit_status_get, plan_completion_get, results_get
from sharaka.evaluation import services as evaluation_services
from sharaka.planning.models import Activity
from tests.closure.conftest import ClosureWorld, pdf
from tests.evaluation.conftest import make_indicator

pytestmark = pytest.mark.django_db


def _audit(cw: ClosureWorld, year: int, status: str) -> Audit:
    return Audit.objects.create(
        partnership=cw.a, kind="financial", period_start=date(year, 1, 1),
        period_end=date(year, 12, 31), due_on=date(year + 1, 6, 30), status=status,
    )  # fmt: skip


def _finding(audit: Audit, number: int, *statuses: str) -> AuditFinding:
    finding = AuditFinding.objects.create(
        audit=audit, number=number, title=f"Constat {number}", severity="high",
        criterion="Critère", condition="Constat",
    )  # fmt: skip
    for n, status in enumerate(statuses, start=1):
        Recommendation.objects.create(
            finding=finding, audit=audit, partnership=audit.partnership, number=number * 10 + n,
            text=f"Recommandation {number}.{n}", owner="Coordination",
            due_on=date(2026, 3, n), status=status,
        )  # fmt: skip
    return finding


@pytest.fixture
def rich(cw: ClosureWorld) -> ClosureWorld:
    """Partnership A winding down, with activity A1.1 done, indicators measured (one value
    validated, one only entered), two audits and three findings, two of them open."""
    cw.start(document=pdf("preavis.pdf"))
    Activity.objects.filter(pk=cw.fw.a1.pk).update(status="done", progress=100)
    result = evaluation_services.result_create(
        by=cw.w.coordinator, partnership=cw.a,
        fields={"kind": "outcome", "title": "Plus de jeunes pratiquent un sport"},
    )  # fmt: skip
    count = make_indicator(cw.w, result, "Inscrits", "unit", "100", ("150", "200"),
                           unit_label="inscrits")  # fmt: skip
    share = make_indicator(cw.w, result, "Taux d'occupation", "percentage", "40", ("60", "80"))
    for indicator, value, validate in ((count, "173", True), (share, "55", False)):
        measurement = evaluation_services.measurement_enter(
            by=cw.w.coordinator, indicator=indicator,
            fields={"period_start": date(2025, 1, 1), "period_end": date(2025, 12, 31),
                    "measured_on": date(2025, 12, 31), "value": Decimal(value),
                    "source": "Registre"},
        )  # fmt: skip
        if validate:
            evaluation_services.measurement_validate(by=cw.w.officer, measurement=measurement)
    closed = _audit(cw, 2025, "closed")
    _audit(cw, 2026, "planned")
    _finding(closed, 1, "done")
    _finding(closed, 2, "open", "not_accepted")
    _finding(closed, 3, "in_progress")
    CheckRun.objects.create(partnership=cw.a, trigger="user", finding_count=4)
    return cw


def test_sections_hold_the_fixtures_numbers(rich: ClosureWorld) -> None:
    plan = plan_completion_get(partnership=rich.a, at=date(2026, 1, 20))
    assert plan is not None
    # A1.1: 1,000 + 500 planned, 1,000 spent; A1.2: 2,000 planned, 333.33 spent
    assert [(a.code, a.planned, a.spent, a.done) for a in plan.activities] == [
        ("A1.1", Decimal("1500.00"), Decimal("1000.00"), True),
        ("A1.2", Decimal("2000.00"), Decimal("333.33"), False),
    ]
    assert (plan.planned, plan.spent, plan.done, plan.spent_percent) == (
        Decimal("3500.00"), Decimal("1333.33"), 1, 38)  # fmt: skip
    results = {i.name: i for i in results_get(partnership=rich.a)}
    assert (results["Inscrits"].baseline, results["Inscrits"].target,
            results["Inscrits"].last) == (Decimal(100), Decimal(200), Decimal(173))  # fmt: skip
    assert results["Taux d'occupation"].last is None  # entered, not validated
    audit = audit_status_get(partnership=rich.a)
    assert dict(audit.by_status)["clôturé"] == 1 and dict(audit.by_status)["programmé"] == 1
    assert (audit.audits, audit.findings, audit.open_findings) == (2, 3, 2)
    assert [r.text for r in audit.recommendations] == ["Recommandation 2.1",
                                                      "Recommandation 3.1"]  # fmt: skip
    assert audit.last_run is not None and audit.last_run.finding_count == 4


def _pdf_text(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"],  # noqa: S607
        input=data, capture_output=True, check=True,
    ).stdout.decode()  # fmt: skip


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) missing")
def test_pdf_shows_the_sections_in_three_languages(rich: ClosureWorld) -> None:
    expected = {  # the headings, the plan's planned and spent totals, in the reader's format
        "fr": ("Exécution du plan d'action", "Résultats", "Situation des audits",
               "3 500,00", "1 333,33"),
        "en": ("Execution of the action plan", "Results", "Audit status", "3,500.00", "1,333.33"),
        # (pdftotext splits the lam-alef ligature: no heading holding one is checked)
        "ar": ("تنفيذ خطة العمل", "النتائج", "التوصيات المفتوحة", "3.500,00", "1.333,33"),
    }  # fmt: skip
    for lang, strings in expected.items():
        text = _pdf_text(report.render_pdf(report.report_get(partnership=rich.a, lang=lang)))
        flat = " ".join(re.sub("[\u202a-\u202e]", "", text).split())
        for string in (*strings, "333,33" if lang != "en" else "333.33", "38", "173",
                       "Recommandation 3.1", "CA-2025-001"):  # fmt: skip
            assert string in flat, (lang, string)
    english = " ".join(_pdf_text(report.render_pdf(
        report.report_get(partnership=rich.a, lang="en"))).split())  # fmt: skip
    assert "Activities completed 1/2" in english and "Execution rate 38 %" in english
    assert "Audit findings 3 Open findings 2 Open recommendations 2" in english


def test_docx_shows_the_sections_in_three_languages(rich: ClosureWorld, client_for: Any) -> None:
    from docx import Document

    client = client_for("auditor")
    expected = {
        "fr": ["Exécution du plan d'action", "Résultats", "Situation des audits"],
        "en": ["Execution of the action plan", "Results", "Audit status"],
        "ar": ["تنفيذ خطة العمل", "النتائج", "وضعية الافتحاصات"],
    }
    for lang, titles in expected.items():
        response = client.get(reverse("closure:report_docx", args=[rich.a.slug, lang]))
        doc = Document(io.BytesIO(response.content))
        found = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
        assert found[-3:] == titles
        tables = doc.tables[-5:]  # plan facts, activities, indicators, audit facts, recs
        activities = [[c.text for c in row.cells] for row in tables[1].rows[1:]]
        digits = [[re.sub(r"\D", "", cell) for cell in row[3:]] for row in activities]
        assert activities[0][0] == "A1.1" and digits == [["100", "150000", "100000"],
                                                         ["0", "200000", "33333"]]  # fmt: skip
        assert all(row[-1].endswith("MAD") for row in activities)
        indicators = [[c.text for c in row.cells] for row in tables[2].rows[1:]]
        assert indicators[0][1] == "Inscrits" and indicators[0][4].startswith("173 inscrits")
        assert indicators[1][4] == "—"
        audit = [row.cells[1].text for row in tables[3].rows]  # statuses, findings, open…
        assert audit[-4:-1] == ["3", "2", "2"] and audit[-1].endswith("4")
        assert len(tables[4].rows) == 3


def test_report_queries_do_not_grow_with_rows(rich: ClosureWorld) -> None:
    with CaptureQueriesContext(connection) as small:
        report.report_get(partnership=rich.a, lang="fr")
    closed = Audit.objects.get(partnership=rich.a, status="closed")
    for n in range(4, 12):
        _finding(closed, n, "open")
    result = evaluation_services.result_create(
        by=rich.w.coordinator, partnership=rich.a, fields={"kind": "output", "title": "Autres"}
    )
    for n in range(5):
        make_indicator(rich.w, result, f"Indicateur {n}", "unit", "0", ("5", "10"))
    with CaptureQueriesContext(connection) as large:
        built = report.report_get(partnership=rich.a, lang="fr")
    assert built.audit is not None and built.audit.open_recommendations == 10
    assert len(built.results) == 7
    assert len(large) == len(small), (len(small), len(large))
    print(f"closure report: {len(small)} queries")
