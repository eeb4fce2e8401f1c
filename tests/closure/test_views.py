"""Closure pages: access per role on every route, the start form, an item's form with its
evidence, the approval of the final accounts, the report and the archive, the status page's
checklist wording, and a fixed number of queries as the checklist grows."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from sharaka.closure import services
from sharaka.closure.archive import verify
from sharaka.closure.models import Evidence, FinalAccounts, Termination, WindDownItem
from sharaka.structure import services as structure_services
from tests.closure.conftest import ClosureWorld, pdf
from tests.conftest import ROLES

pytestmark = pytest.mark.django_db

READERS = {"admin", "officer", "coordinator", "board_member", "treasurer", "auditor"}
CHANGERS = {"admin", "officer", "coordinator"}
STARTERS = {"admin", "officer"}


def _urls(cw: ClosureWorld) -> tuple[list[str], list[str]]:
    slug = cw.a.slug
    item = WindDownItem.objects.filter(partnership=cw.a, kind="asset").get()
    evidence = Evidence.objects.get()
    read = [
        reverse("closure:overview", args=[slug]),
        reverse("closure:termination_document", args=[slug]),
        reverse("closure:evidence", args=[slug, item.pk, evidence.pk]),
        reverse("closure:report", args=[slug, "fr"]),
        reverse("closure:report_docx", args=[slug, "ar"]),
        reverse("closure:archive", args=[slug]),
    ]
    change = [
        reverse("closure:item", args=[slug, item.pk]),
        reverse("closure:approve", args=[slug]),
    ]
    return read, change


@pytest.fixture
def started(cw: ClosureWorld) -> ClosureWorld:
    cw.start(document=pdf("preavis.pdf"))
    item = WindDownItem.objects.filter(partnership=cw.a, kind="asset").get()
    services.item_update(by=cw.w.officer, item=item, fields={"status": "in_progress"},
                         evidence=pdf("inventaire.pdf"))  # fmt: skip
    return cw


@pytest.mark.parametrize("role", [*ROLES, None])
def test_access_per_role_on_every_route(started: ClosureWorld, client_for: Any,
                                        role: str | None) -> None:  # fmt: skip
    read, change = _urls(started)
    client = client_for(role)
    for url in read + change:
        response = client.get(url)
        if role is None:
            assert response.status_code == 302 and "/comptes/connexion/" in response["Location"]
        elif role not in READERS:
            assert response.status_code == 404, (role, url)
        elif url in change and role not in CHANGERS:
            assert response.status_code == 403, (role, url)
        else:
            assert response.status_code == 200, (role, url, response.status_code)


@pytest.mark.parametrize("role", [*ROLES, None])
def test_only_the_authority_opens_the_start_form(cw: ClosureWorld, client_for: Any,
                                                 role: str | None) -> None:  # fmt: skip
    response = client_for(role).get(reverse("closure:start", args=[cw.a.slug]))
    expected = 200 if role in STARTERS else 403 if role in READERS else 404
    assert response.status_code == (302 if role is None else expected), role


@pytest.mark.parametrize("role", ["board_member", "treasurer", "auditor"])
def test_readers_posts_are_refused_and_change_nothing(started: ClosureWorld, client_for: Any,
                                                      role: str) -> None:  # fmt: skip
    _read, change = _urls(started)
    for url in change:
        assert client_for(role).post(url, {"status": "done"}).status_code == 403
    assert not FinalAccounts.objects.exists()
    assert WindDownItem.objects.filter(status="done").count() == 0


def test_member_of_a_gets_404_on_b(started: ClosureWorld, client_for: Any) -> None:
    assert (
        client_for("coordinator")
        .get(reverse("closure:overview", args=[started.w.b.slug]))
        .status_code
        == 404
    )
    item = WindDownItem.objects.first()
    assert item is not None
    url = reverse("closure:item", args=[started.w.b.slug, item.pk])
    assert client_for("admin").get(url).status_code == 404


def test_overview_before_termination_offers_the_start_to_the_officer(
    cw: ClosureWorld, client_for: Any
) -> None:
    url = reverse("closure:overview", args=[cw.a.slug])
    html = client_for("officer").get(url).content.decode()
    assert reverse("closure:start", args=[cw.a.slug]) in html
    assert "31 décembre 2027" in html
    html = client_for("coordinator").get(url).content.decode()
    assert reverse("closure:start", args=[cw.a.slug]) not in html


def test_start_form_records_the_termination(cw: ClosureWorld, client_for: Any) -> None:
    url = reverse("closure:start", args=[cw.a.slug])
    client = client_for("officer")
    response = client.post(url, {"ground": "notice", "notice_on": "2026-01-15", "reason": "x"})
    assert response.status_code == 200 and "décision du conseil" in response.content.decode()
    assert not Termination.objects.exists()
    notice_on = timezone.localdate() - timedelta(days=7)
    response = client.post(url, {
        "ground": "notice", "notice_on": notice_on.isoformat(), "reason": "Retrait",
        "decision": cw.decision.pk, "party": cw.association.pk, "document": pdf("p.pdf"),
    })  # fmt: skip
    assert response.status_code == 302
    termination = Termination.objects.get()
    assert termination.effective_date == notice_on + timedelta(days=180)
    assert termination.document_name == "p.pdf"
    cw.a.refresh_from_db()
    assert cw.a.status == "terminating"
    html = client.get(reverse("closure:overview", args=[cw.a.slug])).content.decode()
    assert "préavis en cours" in html and 'data-item="asset" data-status="open"' in html
    # The association partner: its assets on dissolution (dahir 1958, art. 37), beside the rule.
    assert "data-association-assets" in html and "1958 relatif aux associations, art. 37" in html


def test_item_form_settles_with_evidence(started: ClosureWorld, client_for: Any) -> None:
    item = WindDownItem.objects.filter(partnership=started.a, kind="asset").get()
    url = reverse("closure:item", args=[started.a.slug, item.pk])
    client = client_for("coordinator")
    refused = client.post(url, {"status": "done"})
    assert refused.status_code == 200 and "sort" in refused.content.decode()
    response = client.post(url, {
        "status": "done", "disposition": "transferred", "owner": started.association.pk,
        "notes": "Transféré", "evidence_title": "Acte", "evidence": pdf("acte.pdf"),
    })  # fmt: skip
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.disposition, item.owner) == ("done", "transferred",
                                                          started.association)  # fmt: skip
    assert Evidence.objects.filter(item=item).count() == 2


def test_accounts_are_shown_approved_and_recorded(started: ClosureWorld, client_for: Any) -> None:
    url = reverse("closure:approve", args=[started.a.slug])
    client = client_for("officer")
    page = client.get(url).content.decode()
    assert 'data-amount="1133.34"' in page and 'data-amount="1133.33"' in page
    response = client.post(url, {"decision": started.decision.pk})
    assert response.status_code == 302
    accounts = FinalAccounts.objects.get()
    assert accounts.balance == Decimal("2266.67") and accounts.decision == started.decision
    again = client.post(url, {})
    assert again.status_code == 200 and "déjà approuvés" in again.content.decode()


def test_report_pdf_in_french_arabic_and_english(started: ClosureWorld, client_for: Any) -> None:
    client = client_for("auditor")
    for lang in ("fr", "ar", "en"):
        response = client.get(reverse("closure:report", args=[started.a.slug, lang]))
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert client.get(reverse("closure:report", args=[started.a.slug, "de"])).status_code == 404


def test_report_docx_structure_in_each_language(started: ClosureWorld, client_for: Any) -> None:
    from docx import Document
    from docx.oxml.ns import qn

    client = client_for("auditor")
    expected = {
        "fr": ("Rapport de clôture", ["Parties", "Historique", "Fin du partenariat",
                                      "Liste de liquidation", "Comptes de clôture",
                                      "Décisions du conseil", "Exécution du plan d'action",
                                      "Résultats", "Situation des audits"]),
        "en": ("Closure report", ["Parties", "History", "End of the partnership",
                                  "Wind-down checklist", "Final accounts", "Board decisions",
                                  "Execution of the action plan", "Results", "Audit status"]),
        "ar": ("تقرير الإنهاء", []),
    }  # fmt: skip
    for lang, (title, headings) in expected.items():
        response = client.get(reverse("closure:report_docx", args=[started.a.slug, lang]))
        assert response.status_code == 200
        assert response["Content-Disposition"].endswith(f'-{lang}.docx"')
        doc = Document(io.BytesIO(response.content))
        assert doc.paragraphs[0].style.name == "Title" and doc.paragraphs[0].text == title
        found = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
        assert len(found) == 9
        if headings:
            assert found == headings
        # parties, history, termination, checklist, accounts and shares, decisions; plan
        # facts and activities, indicators, audit facts and recommendations
        assert len(doc.tables) == 12
        items = doc.tables[3]
        assert len(items.rows) == 1 + WindDownItem.objects.filter(partnership=started.a).count()
        shares = doc.tables[5]
        assert shares.rows[-1].cells[-1].text.endswith("MAD")
        rtl = doc.paragraphs[0]._p.pPr.find(qn("w:bidi")) is not None
        assert rtl == (lang == "ar")
    english = Document(io.BytesIO(client.get(
        reverse("closure:report_docx", args=[started.a.slug, "en"])).content))  # fmt: skip
    labels = [row.cells[0].text for row in english.tables[2].rows]
    assert labels[:4] == ["Reason for ending", "Start date", "Notice (days)", "Effective date"]
    assert (
        client.get(reverse("closure:report_docx", args=[started.a.slug, "de"])).status_code == 404
    )


def test_report_pdf_in_english_has_english_labels(started: ClosureWorld) -> None:
    from sharaka.closure.report import render_html, report_get

    html = render_html(report_get(partnership=started.a, lang="en"))
    assert 'lang="en"' in html and 'dir="ltr"' in html
    for label in ("Closure report", "Wind-down checklist", "Final accounts", "Notice (days)"):
        assert label in html
    assert "Rapport de clôture" not in html and "Liste de liquidation" not in html


def test_report_html_is_translated() -> None:
    from sharaka.closure.report import Report, render_html

    html = render_html(Report(lang="ar", partnership=type("P", (), {"title": "T",
                       "lead_authority": type("O", (), {"name": "C"})()})(),  # type: ignore[arg-type]
                       parties=[], transitions=[], termination=None, items=[], accounts=None,
                       decisions=[], generated=date(2026, 1, 1)))  # fmt: skip
    assert 'dir="rtl"' in html and "تقرير" in html


def test_report_labels_follow_the_report_language(started: ClosureWorld) -> None:
    from sharaka.closure.report import render_html, report_get

    html = render_html(report_get(partnership=started.a, lang="ar"))
    assert "مفتاح التوزيع في الاتفاقية" in html and "Clé de répartition" not in html


def test_archive_download_verifies(started: ClosureWorld, client_for: Any) -> None:
    response = client_for("board_member").get(reverse("closure:archive", args=[started.a.slug]))
    assert response.status_code == 200
    data = response.content
    verdict = verify(io.BytesIO(data))
    assert verdict.ok and verdict.checked >= 8
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert "rapport-de-cloture-ar.pdf" in names and "donnees/liquidation.json" in names
    assert any(n.startswith("liquidation/") and n.endswith("inventaire.pdf") for n in names)
    assert "fin/preavis.pdf" in names


def test_status_page_says_a_decision_exists_to_cite(cw: ClosureWorld, client_for: Any) -> None:
    html = client_for("officer").get(f"/partenariats/{cw.a.slug}/statut/").content.decode()
    assert "Une décision du conseil existe à citer" in html
    assert 'data-condition="termination_ground" data-state="missing"' in html
    assert reverse("closure:overview", args=[cw.a.slug]) in html


def test_overview_query_count_is_fixed(started: ClosureWorld, client_for: Any,
                                       django_assert_max_num_queries: Any) -> None:  # fmt: skip
    client = client_for("coordinator")
    url = reverse("closure:overview", args=[started.a.slug])
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for n in range(15):
        asset = structure_services.asset_create(
            by=started.w.coordinator, partnership=started.a,
            fields={"kind": "equipment", "name": f"Bien {n}", "owner": started.a.lead_authority,
                    "provided_by": started.a.lead_authority, "value": Decimal(10)},
        )  # fmt: skip
        item = WindDownItem.objects.create(
            partnership=started.a, position=100 + n, kind="asset", subject=asset.name,
            owner=started.a.lead_authority,
        )  # fmt: skip
        item.partnership = started.a
        services.item_update(by=started.w.officer, item=item, fields={"notes": "x"},
                             evidence=pdf())  # fmt: skip
    with django_assert_max_num_queries(len(small)):
        client.get(url)
    print(f"closure overview: {len(small)} queries")
