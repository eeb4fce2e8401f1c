"""The audit dashboard per partnership and per authority, and the XLSX export of findings:
pure rules, figures, each route per role, fixed queries at two sizes."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from sharaka.audit import dashboard, engagements, exports, plans, recommendations
from sharaka.audit.models import Audit, AuditFinding, AuditStatus, Recommendation
from sharaka.core.access import forget_grants
from tests.audit.conftest import AuditWorld
from tests.audit.test_engagements import TODAY, _engaged, _finding
from tests.audit.test_plan import READERS, expected
from tests.audit.test_recommendations import party
from tests.conftest import ROLES
from tests.factories import PartnershipFactory

# --- pure rules -------------------------------------------------------------------------------

days = st.dates(date(2000, 1, 1), date(2040, 12, 31))


@given(recorded=days, today=days, later=st.integers(0, 2000))
def test_a_finding_only_ages(recorded: date, today: date, later: int) -> None:
    bucket = dashboard.age_bucket(recorded, today)
    assert 0 <= bucket < len(dashboard.AGE_BUCKETS)
    assert dashboard.age_bucket(recorded, today + timedelta(days=later)) >= bucket


def test_the_age_buckets_bounds() -> None:
    today = date(2026, 12, 7)
    ages = [0, 89, 90, 179, 180, 364, 365, 3000]
    assert [dashboard.age_bucket(today - timedelta(days=a), today) for a in ages] == [
        0, 0, 1, 1, 2, 2, 3, 3,
    ]  # fmt: skip


@given(st.integers(0, 50), st.integers(0, 50), st.integers(0, 50))
def test_the_rate_is_a_share_of_the_accepted(implemented: int, issued: int, refused: int) -> None:
    rate = dashboard.implementation_rate(implemented, issued, refused)
    if issued - refused <= 0:
        assert rate is None
    else:
        assert rate is not None and 0 <= rate <= 1


# --- figures ----------------------------------------------------------------------------------


def _world(aw: AuditWorld, findings: int = 3) -> list[Recommendation]:
    """An engagement with ``findings`` findings, one recommendation each, then: the first
    implemented, the second not accepted, the others awaited and overdue."""
    audit = _engaged(aw, sampled=0)
    recs = []
    for i in range(findings):
        severity = ("critical", "high", "medium", "low")[i % 4]
        finding = engagements.finding_add(
            by=aw.w.auditor, audit=audit, fields=_finding(severity=severity, title=f"C{i}")
        )
        recs.append(
            recommendations.recommendation_add(
                by=aw.w.auditor, finding=finding,
                fields={"text": f"=R{i}", "owner_party": party(aw), "due_on": TODAY},
            )
        )  # fmt: skip
    if findings:
        recommendations.follow_up_add(
            by=aw.w.coordinator, recommendation=recs[0], text="Fait", status="done"
        )
    if findings > 1:
        recommendations.follow_up_add(
            by=aw.w.coordinator, recommendation=recs[1], text="Non", status="not_accepted"
        )
    return recs


def test_the_figures_of_a_partnership(aw: AuditWorld) -> None:
    _world(aw, findings=4)
    later = TODAY + timedelta(days=100)
    figures = dashboard.figures_get(audits=dashboard.Q(partnership=aw.w.a), today=later, rtl=False)
    by_status = {status: count for status, _label, count in figures.by_status}
    assert sum(by_status.values()) == Audit.objects.filter(partnership=aw.w.a).count()
    recs = figures.recommendations
    assert (recs.issued, recs.implemented, recs.not_accepted, recs.pending) == (4, 1, 1, 2)
    assert recs.overdue == 2 and recs.percent == 33
    # open: the two findings whose recommendation is awaited, 100 days old
    assert figures.open_total == 2
    cells = {row.severity: row.counts for row in figures.open_findings}
    assert cells["medium"] == (0, 1, 0, 0) and cells["low"] == (0, 1, 0, 0)
    assert cells["critical"] == (0, 0, 0, 0)
    assert "<svg" in figures.chart and str(TODAY.year - 1) in figures.chart  # 2025 audit


def test_a_finding_without_recommendation_is_open_until_its_audit_is_closed(
    aw: AuditWorld,
) -> None:
    audit = _engaged(aw, sampled=0)
    engagements.finding_add(by=aw.w.auditor, audit=audit, fields=_finding())
    scope = dashboard.Q(partnership=aw.w.a)
    assert dashboard.figures_get(audits=scope, today=TODAY, rtl=False).open_total == 1
    Audit.objects.filter(pk=audit.pk).update(status=AuditStatus.CLOSED)
    assert dashboard.figures_get(audits=scope, today=TODAY, rtl=False).open_total == 0


def test_the_chart_runs_right_to_left(aw: AuditWorld) -> None:
    _world(aw, findings=2)
    scope = dashboard.Q(partnership=aw.w.a)
    ltr = dashboard.figures_get(audits=scope, today=TODAY, rtl=False).chart
    rtl = dashboard.figures_get(audits=scope, today=TODAY, rtl=True).chart
    assert ltr != rtl and 'direction="ltr"' in rtl
    assert dashboard.figures_get(audits=dashboard.Q(pk=0), today=TODAY, rtl=False).chart == ""


# --- pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_each_route_per_role(aw: AuditWorld, client_for: Any, role: str) -> None:
    _world(aw, findings=2)
    client = client_for(role)
    slug = aw.w.a.slug
    page = client.get(reverse("audit:dashboard", kwargs={"slug": slug}))
    assert page.status_code == expected(role, READERS)
    export = client.get(reverse("audit:findings_export", kwargs={"slug": slug}))
    assert export.status_code == expected(role, READERS)
    authority = client.get(
        reverse("audit:authority_dashboard", kwargs={"authority": aw.w.a.lead_authority_id})
    )
    assert authority.status_code == (200 if role in {"admin", "officer"} else 404)
    if page.status_code == 200:
        text = page.content.decode()
        assert "Tableau de bord d'audit" in text and "<svg" in text
        assert ("Tous les partenariats de la collectivité" in text) == (
            role in {"admin", "officer"}
        )


def test_the_authority_dashboard_of_an_unknown_or_other_authority(
    aw: AuditWorld, client_for: Any
) -> None:
    client = client_for("officer")
    other = aw.w.b.lead_authority_id
    for pk in (other, 10**9):
        url = reverse("audit:authority_dashboard", kwargs={"authority": pk})
        assert client.get(url).status_code == 404
    assert (
        client_for("other_officer")
        .get(reverse("audit:authority_dashboard", kwargs={"authority": other}))
        .status_code
        == 200
    )


def test_a_supervisor_reads_the_authority_dashboard(aw: AuditWorld, client: Any) -> None:
    from tests.factories import UserFactory

    supervisor = UserFactory(username="tutelle", role="supervisor")
    client.force_login(supervisor)
    url = reverse("audit:authority_dashboard", kwargs={"authority": aw.w.a.lead_authority_id})
    assert client.get(url).status_code == 200


def test_the_pages_in_arabic(aw: AuditWorld, client_for: Any) -> None:
    _world(aw, findings=2)
    client = client_for("officer")
    for url in (
        reverse("audit:dashboard", kwargs={"slug": aw.w.a.slug}),
        reverse("audit:authority_dashboard", kwargs={"authority": aw.w.a.lead_authority_id}),
    ):
        page = client.get(url, headers={"accept-language": "ar"})
        assert page.status_code == 200 and "<svg" in page.content.decode()


def test_the_authority_dashboard_is_paged_by_key(aw: AuditWorld, client_for: Any) -> None:
    authority = aw.w.a.lead_authority
    for i in range(4):
        PartnershipFactory(title=f"Z partenariat {i}", lead_authority=authority)
    seen: list[str] = []
    after = None
    while True:
        view = dashboard.authority_dashboard_view_get(
            user=aw.w.officer, pk=authority.pk, after=after, today=TODAY, rtl=False, size=2
        )
        seen += [row.title for row in view.rows]
        if view.next_after is None:
            break
        after = view.next_after
    expected_titles = [aw.w.a.title, *(f"Z partenariat {i}" for i in range(4))]
    assert seen == sorted(expected_titles)
    page = client_for("officer").get(
        reverse("audit:authority_dashboard", kwargs={"authority": authority.pk}),
        {"apres": "abc"},
    )
    assert page.status_code == 200


def _count(client: Any, url: str, django_assert_max_num_queries: Any, bound: int = 40) -> int:
    client.get(url)
    with django_assert_max_num_queries(bound) as counted:
        assert client.get(url).status_code == 200
    return len(counted.captured_queries)


def test_the_dashboards_in_fixed_queries(
    aw: AuditWorld, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for("officer")
    urls = [
        reverse("audit:dashboard", kwargs={"slug": aw.w.a.slug}),
        reverse("audit:authority_dashboard", kwargs={"authority": aw.w.a.lead_authority_id}),
        reverse("audit:findings_export", kwargs={"slug": aw.w.a.slug}),
    ]
    recs = _world(aw, findings=1)
    small = [_count(client, url, django_assert_max_num_queries) for url in urls]
    audit = Audit.objects.get(pk=recs[0].audit_id)
    for i in range(6):
        finding = engagements.finding_add(by=aw.w.auditor, audit=audit, fields=_finding())
        rec = recommendations.recommendation_add(
            by=aw.w.auditor, finding=finding,
            fields={"text": f"R{i}", "owner_party": party(aw), "due_on": TODAY},
        )  # fmt: skip
        recommendations.follow_up_add(
            by=aw.w.coordinator, recommendation=rec, text="En cours", status="in_progress"
        )
    for i in range(3):
        PartnershipFactory(title=f"P{i}", lead_authority=aw.w.a.lead_authority)
    forget_grants(aw.w.officer)
    large = [_count(client, url, django_assert_max_num_queries) for url in urls]
    assert large == small


# --- the export -------------------------------------------------------------------------------


def test_the_export_has_stable_headers_and_neutralised_formulas(
    aw: AuditWorld, client_for: Any
) -> None:
    _world(aw, findings=2)
    response = client_for("treasurer").get(
        reverse("audit:findings_export", kwargs={"slug": aw.w.a.slug})
    )
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Constats", "Recommandations", "Suivi"]
    heads = [[c.value for c in book[name][1]] for name in book.sheetnames]
    assert heads == [
        ["Audit", "N°", "Intitulé", "Gravité", "Critère", "Constat", "Cause", "Effet",
         "Partie responsable", "Dépenses concernées", "Enregistré le", "Recommandations",
         "Ouvert"],
        ["Audit", "Constat n°", "N°", "Recommandation", "Responsable", "Échéance", "État",
         "En retard", "Émise le", "Inscrite à l'ordre du jour"],
        ["Audit", "Constat n°", "Recommandation n°", "Enregistré le",
         "État après la réponse", "Réponse", "Par"],
    ]  # fmt: skip
    recs = book["Recommendations" if False else "Recommandations"]
    cell = recs.cell(row=2, column=4)
    assert cell.value == "=R0" and cell.data_type == "s" and cell.quotePrefix
    assert recs.max_row == 3 and book["Suivi"].max_row == 3
    assert book["Constats"].cell(row=2, column=13).value == "non"  # implemented: closed
    assert not book["Constats"].sheet_view.rightToLeft


def test_the_arabic_export_reads_right_to_left(aw: AuditWorld) -> None:
    from django.utils import translation

    _world(aw, findings=1)
    with translation.override("ar"):
        content = exports.findings_xlsx(partnership=aw.w.a, today=TODAY, rtl=True)
    book = load_workbook(io.BytesIO(content))
    assert all(book[name].sheet_view.rightToLeft for name in book.sheetnames)


def test_an_empty_export(aw: AuditWorld) -> None:
    content = exports.findings_xlsx(partnership=aw.w.a, today=timezone.localdate())
    book = load_workbook(io.BytesIO(content))
    assert [book[n].max_row for n in book.sheetnames] == [1, 1, 1]
    assert AuditFinding.objects.count() == 0 and plans is not None
