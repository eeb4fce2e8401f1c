"""The work of an engagement (ADR 0040): work papers checked by content, findings with the
sampled expenses they concern, the report issued and its PDF; only the engaged auditor,
during the engagement, records; each route for each role."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from sharaka.audit import engagements, plan_rules, plans, report
from sharaka.audit.models import Audit, AuditFinding, AuditStatus, WorkPaper
from sharaka.core.errors import AccessDenied, DomainError
from tests.audit.conftest import AuditWorld, receipt
from tests.audit.test_plan import expected
from tests.conftest import ROLES
from tests.factories import UserFactory

TODAY = timezone.localdate()

# --- pure rules -------------------------------------------------------------------------------

days = st.dates(min_value=date(2020, 1, 1), max_value=date(2040, 12, 31))


@given(start=days, length=st.integers(0, 400), offset=st.integers(-500, 900))
def test_only_the_auditor_records_and_only_during_the_engagement(
    start: date, length: int, offset: int
) -> None:
    end = start + timedelta(days=length)
    today = start + timedelta(days=offset)
    facts = {"auditor_id": 7, "starts_on": start, "ends_on": end, "status": "in_progress"}
    assert plan_rules.auditor_may_record(actor_id=7, today=today, **facts) == (
        start <= today <= end
    )
    assert not plan_rules.auditor_may_record(actor_id=8, today=today, **facts)
    assert not plan_rules.auditor_may_record(actor_id=None, today=today, **facts)
    closed = {**facts, "status": "closed"}
    assert not plan_rules.auditor_may_record(actor_id=7, today=today, **closed)


@given(chosen=st.lists(st.integers(1, 50)), sample=st.lists(st.integers(1, 50)))
def test_unsampled_is_what_the_sample_lacks(chosen: list[int], sample: list[int]) -> None:
    outside = plan_rules.unsampled(chosen, sample)
    assert set(outside) == set(chosen) - set(sample)
    assert outside == sorted(set(outside))


def test_a_report_is_issued_from_planned_or_in_progress_only() -> None:
    assert [s for s in AuditStatus.values if plan_rules.issuable(s)] == [
        "planned",
        "in_progress",
    ]


# --- services ---------------------------------------------------------------------------------


def _engaged(aw: AuditWorld, auditor: Any = None, *, sampled: int = 4) -> Audit:
    for i in range(sampled):
        aw.fw.record(f"{300 + i}.00", day=date(2025, 6, 1) + timedelta(days=i))
    audit = plans.audit_update(
        by=aw.w.coordinator,
        audit=aw.audit(),
        fields={
            "auditor": auditor or aw.w.auditor,
            "starts_on": TODAY - timedelta(days=5),
            "ends_on": TODAY + timedelta(days=30),
        },
    )
    if sampled:
        audit = plans.sample_draw(
            by=auditor or aw.w.auditor, audit=audit, size=sampled, method="simple", seed=3
        )
    return audit


def _finding(**extra: Any) -> dict[str, Any]:
    return {
        "title": "Pièce manquante",
        "severity": "high",
        "criterion": "Art. 12 : toute dépense est justifiée.",
        "condition": "Facture absente.",
        "cause": "Classement",
        "effect": "Dépense non justifiée",
        "responsible": "Commune",
        "expenses": [],
        **extra,
    }


def test_the_auditor_records_findings_numbered_with_sampled_expenses(aw: AuditWorld) -> None:
    audit = _engaged(aw)
    first = engagements.finding_add(
        by=aw.w.auditor, audit=audit, fields=_finding(expenses=audit.sample[:2])
    )
    second = engagements.finding_add(by=aw.w.auditor, audit=audit, fields=_finding(title="B"))
    assert (first.number, second.number) == (1, 2)
    assert first.expenses == sorted(audit.sample[:2]) and first.recorded_by == aw.w.auditor


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": " "}, "title"),
        ({"criterion": ""}, "criterion"),
        ({"condition": ""}, "condition"),
        ({"severity": "huge"}, "severity"),
        ({"expenses": [999_999]}, "expenses"),
    ],
)
def test_a_bad_finding_names_its_field_and_writes_nothing(
    aw: AuditWorld, change: dict[str, Any], field: str
) -> None:
    audit = _engaged(aw)
    with pytest.raises(DomainError) as refused:
        engagements.finding_add(by=aw.w.auditor, audit=audit, fields=_finding(**change))
    assert refused.value.field == field
    assert not AuditFinding.objects.exists()


@pytest.mark.parametrize("role", ["coordinator", "officer", "board_member", "treasurer"])
def test_nobody_but_the_engaged_auditor_records(aw: AuditWorld, role: str) -> None:
    audit = _engaged(aw)
    with pytest.raises(AccessDenied):
        engagements.finding_add(by=aw.w.user(role), audit=audit, fields=_finding())
    with pytest.raises(AccessDenied):
        engagements.paper_add(by=aw.w.user(role), audit=audit, title="", upload=receipt())
    with pytest.raises(AccessDenied):
        engagements.report_issue(by=aw.w.user(role), audit=audit)
    assert not AuditFinding.objects.exists() and not WorkPaper.objects.exists()


def test_the_auditor_records_nothing_outside_the_engagement(aw: AuditWorld) -> None:
    audit = _engaged(aw)
    for day in (audit.starts_on - timedelta(days=1), audit.ends_on + timedelta(days=1)):
        with pytest.raises(AccessDenied):
            engagements.finding_add(by=aw.w.auditor, audit=audit, fields=_finding(), today=day)
    engagements.finding_add(by=aw.w.auditor, audit=audit, fields=_finding(), today=audit.ends_on)
    assert AuditFinding.objects.count() == 1


def test_work_papers_are_checked_by_content(aw: AuditWorld) -> None:
    audit = _engaged(aw)
    paper = engagements.paper_add(
        by=aw.w.auditor, audit=audit, title=" Feuille de test ", upload=receipt("test.pdf")
    )
    assert paper.title == "Feuille de test" and paper.content_type == "application/pdf"
    for upload, code in (
        (receipt("faux.pdf", b"MZ\x90\x00 not a pdf"), engagements.Code.PAPER_TYPE),
        (receipt("script.exe"), engagements.Code.PAPER_TYPE),
        (SimpleUploadedFile("vide.pdf", b""), engagements.Code.PAPER_EMPTY),
    ):
        with pytest.raises(DomainError) as refused:
            engagements.paper_add(by=aw.w.auditor, audit=audit, title="", upload=upload)
        assert refused.value.code == code and refused.value.field == "file"
    assert WorkPaper.objects.count() == 1


def test_issuing_the_report_makes_the_audit_reported_once(aw: AuditWorld) -> None:
    audit = _engaged(aw)
    issued = engagements.report_issue(by=aw.w.auditor, audit=audit)
    assert issued.status == AuditStatus.REPORTED and issued.reported_at is not None
    with pytest.raises(DomainError) as refused:
        engagements.report_issue(by=aw.w.auditor, audit=aw.audit())
    assert refused.value.code == engagements.Code.REPORT_STATUS
    # Findings stay append-only after the report: one more can be added.
    engagements.finding_add(by=aw.w.auditor, audit=aw.audit(), fields=_finding())


# --- the report -------------------------------------------------------------------------------


def test_the_report_holds_the_findings_per_language(aw: AuditWorld) -> None:
    audit = _engaged(aw)
    engagements.finding_add(
        by=aw.w.auditor, audit=audit, fields=_finding(expenses=audit.sample[:1])
    )
    engagements.paper_add(by=aw.w.auditor, audit=audit, title="Grille", upload=receipt())
    html = report.render_html(report.report_get(audit=aw.audit(), lang="fr"))
    assert "Rapport d'audit" in html and "Pièce manquante" in html and "Grille" in html
    assert "graine 3" in html
    assert 'dir="rtl"' in report.render_html(report.report_get(audit=aw.audit(), lang="ar"))


def test_the_report_keeps_a_fixed_number_of_queries(aw: AuditWorld) -> None:
    audit = _engaged(aw, sampled=8)

    def queries() -> int:
        found = aw.audit()
        found.partnership = aw.w.a
        with CaptureQueriesContext(connection) as counted:
            report.render_html(report.report_get(audit=found, lang="fr"))
        return len(counted.captured_queries)

    engagements.finding_add(by=aw.w.auditor, audit=audit, fields=_finding())
    engagements.paper_add(by=aw.w.auditor, audit=audit, title="", upload=receipt())
    small = queries()
    for i in range(6):
        engagements.finding_add(
            by=aw.w.auditor, audit=audit, fields=_finding(expenses=audit.sample[i : i + 2])
        )
        engagements.paper_add(by=aw.w.auditor, audit=audit, title="", upload=receipt())
    assert queries() == small


# --- pages ------------------------------------------------------------------------------------

READERS = {"admin", "officer", "coordinator", "treasurer", "auditor"}


@pytest.mark.parametrize("role", ROLES)
def test_each_route_per_role(aw: AuditWorld, client_for: Any, role: str) -> None:
    audit = _engaged(aw)
    paper = engagements.paper_add(by=aw.w.auditor, audit=audit, title="", upload=receipt())
    kwargs = {"slug": aw.w.a.slug, "pk": audit.pk}
    client = client_for(role)
    page = client.get(reverse("audit:audit", kwargs=kwargs))
    assert page.status_code == expected(role, READERS)
    if page.status_code == 200:
        assert ("Enregistrer un constat" in page.content.decode()) == (role == "auditor")
    download = client.get(reverse("audit:paper_download", kwargs={**kwargs, "paper": paper.pk}))
    assert download.status_code == expected(role, READERS)
    pdf = client.get(reverse("audit:report_pdf", kwargs={**kwargs, "lang": "fr"}))
    assert pdf.status_code == expected(role, READERS)
    # The engaged auditor only (403 for the other readers, 404 for strangers).
    for name in ("paper_add", "finding_add", "report_issue"):
        response = client.get(reverse(f"audit:{name}", kwargs=kwargs))
        assert response.status_code == expected(role, {"auditor"}), name
    issue = client.post(reverse("audit:report_issue", kwargs=kwargs))
    assert issue.status_code == (302 if role == "auditor" else expected(role, {"auditor"}))
    assert (aw.audit().status == AuditStatus.REPORTED) == (role == "auditor")


def test_the_auditor_records_through_the_pages(aw: AuditWorld, client_for: Any) -> None:
    audit = _engaged(aw)
    client = client_for("auditor")
    kwargs = {"slug": aw.w.a.slug, "pk": audit.pk}
    form = client.get(reverse("audit:finding_add", kwargs=kwargs))
    assert len(form.context["form"].fields["expenses"].choices) == 4
    data = {**_finding(expenses=[audit.sample[0]]), "expenses": [str(audit.sample[0])]}
    assert client.post(reverse("audit:finding_add", kwargs=kwargs), data).status_code == 302
    bad = client.post(reverse("audit:finding_add", kwargs=kwargs), {**data, "criterion": ""})
    assert bad.status_code == 200 and "criterion" in bad.context["form"].errors
    upload = client.post(
        reverse("audit:paper_add", kwargs=kwargs),
        {"title": "Grille", "file": receipt("faux.pdf", b"GIF89a")},
    )
    assert upload.status_code == 200 and "file" in upload.context["form"].errors
    ok = client.post(
        reverse("audit:paper_add", kwargs=kwargs), {"title": "Grille", "file": receipt()}
    )
    assert ok.status_code == 302
    page = client.get(reverse("audit:audit", kwargs=kwargs)).content.decode()
    assert "Pièce manquante" in page and "Grille" in page and "Remettre le rapport" in page
    for lang in ("fr", "ar", "en"):
        pdf = client.get(reverse("audit:report_pdf", kwargs={**kwargs, "lang": lang}))
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert (
        client.get(reverse("audit:report_pdf", kwargs={**kwargs, "lang": "de"})).status_code == 404
    )


def test_an_auditor_after_the_engagement_gets_404_on_the_new_routes(
    aw: AuditWorld, client: Any
) -> None:
    external = UserFactory(username="cabinet")
    audit = _engaged(aw, external)
    paper = engagements.paper_add(by=external, audit=audit, title="", upload=receipt())
    plans.audit_update(
        by=aw.w.coordinator, audit=aw.audit(),
        fields={"starts_on": date(2025, 3, 1), "ends_on": date(2025, 3, 31)},
    )  # fmt: skip
    client.force_login(external)
    kwargs = {"slug": aw.w.a.slug, "pk": audit.pk}
    for url in (
        reverse("audit:finding_add", kwargs=kwargs),
        reverse("audit:paper_add", kwargs=kwargs),
        reverse("audit:paper_download", kwargs={**kwargs, "paper": paper.pk}),
        reverse("audit:report_pdf", kwargs={**kwargs, "lang": "fr"}),
    ):
        assert client.get(url).status_code == 404, url


def test_the_engagement_page_in_fixed_queries(
    aw: AuditWorld, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    audit = _engaged(aw, sampled=8)
    client = client_for("auditor")
    url = reverse("audit:audit", kwargs={"slug": aw.w.a.slug, "pk": audit.pk})
    engagements.finding_add(by=aw.w.auditor, audit=audit, fields=_finding())
    client.get(url)
    with django_assert_max_num_queries(40) as small:
        client.get(url)
    for i in range(6):
        engagements.finding_add(
            by=aw.w.auditor, audit=audit, fields=_finding(expenses=audit.sample[i : i + 2])
        )
        engagements.paper_add(by=aw.w.auditor, audit=audit, title="", upload=receipt())
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


# --- choosing the auditor (core.lookups) -----------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_auditor_is_searched_by_those_who_edit_the_plan(
    aw: AuditWorld, client_for: Any, role: str
) -> None:
    UserFactory(username="cabinet.alami", first_name="Karim", last_name="Alami")
    url = reverse("core:lookup", kwargs={"name": "auditors"})
    response = client_for(role).get(url, {"q": "alami", "partnership": aw.w.a.slug})
    assert response.status_code == expected(role, {"admin", "officer", "coordinator"})
    if response.status_code == 200:
        assert "Karim Alami (cabinet.alami)" in response.content.decode()


def test_the_edit_form_takes_the_searched_auditor(aw: AuditWorld, client_for: Any) -> None:
    external = UserFactory(username="cabinet.alami", first_name="Karim", last_name="Alami")
    url = reverse("audit:audit_edit", kwargs={"slug": aw.w.a.slug, "pk": aw.audit().pk})
    client = client_for("coordinator")
    assert "/recherche/auditors/?partnership=" in client.get(url).content.decode()
    response = client.post(url, {
        "status": "planned", "due_on": "2026-03-31", "auditor": str(external.pk),
        "starts_on": "2026-01-05", "ends_on": "2026-02-05",
    })  # fmt: skip
    assert response.status_code == 302
    assert aw.audit().auditor == external
    unknown = client.post(url, {"status": "planned", "due_on": "2026-03-31", "auditor": "999999"})
    assert unknown.status_code == 200 and "auditor" in unknown.context["form"].errors
