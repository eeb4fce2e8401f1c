"""The pages of recommendations (ADR 0047, ADR 0051): the engaged auditor issues one on a
finding (the owner a party of the partnership or one of its people), the coordinator answers
with evidence, the auditor of an engagement under way verifies; each route for each role,
refusals naming their field, fixed queries."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.urls import reverse

from sharaka.audit import plans, recommendations
from sharaka.audit.models import FollowUp, Recommendation
from tests.audit.conftest import AuditWorld, receipt
from tests.audit.test_engagements import TODAY
from tests.audit.test_plan import EDITORS, READERS, SAMPLERS, expected
from tests.audit.test_recommendations import _done, _rec, _with_finding, party
from tests.conftest import ROLES
from tests.factories import PersonFactory, UserFactory


def _urls(rec: Recommendation) -> dict[str, str]:
    kwargs = {"slug": rec.audit.partnership.slug, "pk": rec.audit_id, "rec": rec.pk}
    return {
        "page": reverse("audit:recommendation", kwargs=kwargs),
        "answer": reverse("audit:follow_up_add", kwargs=kwargs),
        "verify": reverse("audit:recommendation_verify", kwargs=kwargs),
    }


def _add_url(rec_or_finding: Any) -> str:
    audit = rec_or_finding.audit
    return reverse(
        "audit:recommendation_add",
        kwargs={"slug": audit.partnership.slug, "pk": audit.pk, "finding": rec_or_finding.pk},
    )


@pytest.mark.parametrize("role", ROLES)
def test_each_route_per_role(aw: AuditWorld, client_for: Any, role: str) -> None:
    rec = _done(aw)
    entry = FollowUp.objects.get()
    urls = _urls(rec)
    client = client_for(role)
    page = client.get(urls["page"])
    assert page.status_code == expected(role, READERS)
    if page.status_code == 200:
        text = page.content.decode()
        assert ("Répondre" in text) == (role in EDITORS)
        assert ("Vérifier la mise en œuvre" in text) == (role == "auditor")
    evidence = reverse(
        "audit:evidence_download",
        kwargs={"slug": aw.w.a.slug, "pk": rec.audit_id, "rec": rec.pk, "entry": entry.pk},
    )
    assert client.get(evidence).status_code == expected(role, READERS)
    assert client.get(urls["answer"]).status_code == expected(role, EDITORS)
    assert client.get(urls["verify"]).status_code == expected(role, {"auditor"})
    assert client.get(_add_url(rec.finding)).status_code == expected(role, {"auditor"})
    owners = reverse("core:lookup", kwargs={"name": "audit_owners"})
    searched = client.get(owners, {"q": "a", "partnership": aw.w.a.slug})
    assert searched.status_code == expected(role, SAMPLERS)


def test_the_auditor_issues_the_coordinator_answers_the_auditor_verifies(
    aw: AuditWorld, client_for: Any
) -> None:
    finding = _with_finding(aw)
    commune = party(aw)
    person = PersonFactory(first_name="Sara", last_name="Tazi", organization=commune.organization)
    auditor = client_for("auditor")
    form = auditor.get(_add_url(finding))
    parties = list(form.context["form"].fields["owner_party"].queryset)
    assert commune in parties and {p.partnership_id for p in parties} == {aw.w.a.pk}
    assert "/recherche/audit_owners/?partnership=" in form.content.decode()
    due = (TODAY + timedelta(days=30)).isoformat()
    data = {"text": "Classer les factures", "owner_party": str(commune.pk),
            "owner_person": str(person.pk), "due_on": due}  # fmt: skip
    for change, field in (
        ({"owner_party": ""}, "owner_party"),
        ({"due_on": ""}, "due_on"),
        ({"due_on": "2020-01-01"}, "due_on"),
        ({"owner_person": str(PersonFactory().pk)}, "owner_person"),
    ):
        bad = auditor.post(_add_url(finding), {**data, **change})
        assert bad.status_code == 200 and field in bad.context["form"].errors, field
    assert not Recommendation.objects.exists()
    assert auditor.post(_add_url(finding), data).status_code == 302
    rec = Recommendation.objects.get()
    assert rec.owner == "Sara Tazi (Commune A)"
    urls = _urls(rec)
    coordinator = client_for("coordinator")
    bad = coordinator.post(urls["answer"], {"status": "done", "text": ""})
    assert bad.status_code == 200 and "text" in bad.context["form"].errors
    fake = receipt("preuve.pdf", b"GIF89a")
    bad = coordinator.post(urls["answer"], {"status": "done", "text": "Fait", "evidence": fake})
    assert bad.status_code == 200 and "evidence" in bad.context["form"].errors
    assert not FollowUp.objects.exists()
    done = coordinator.post(
        urls["answer"], {"status": "done", "text": "Classement refait", "evidence": receipt()}
    )
    assert done.status_code == 302
    refused = coordinator.post(urls["answer"], {"status": "open", "text": "Rouvrir"})
    assert refused.status_code == 200 and "status" in refused.context["form"].errors
    verified = auditor.post(urls["verify"], {"outcome": "verified", "text": "Pièces revues"})
    assert verified.status_code == 302
    rec.refresh_from_db()
    assert rec.status == "verified"
    page = coordinator.get(urls["page"]).content.decode()
    assert "Classement refait" in page and "Pièces revues" in page and "preuve" in page.lower()
    assert "Vérification de l&#x27;auditeur" in page or "Vérification de l'auditeur" in page
    assert auditor.get(urls["verify"]).status_code == 200  # still an engaged auditor
    again = auditor.post(urls["verify"], {"outcome": "verified", "text": "Encore"})
    assert again.status_code == 200 and "outcome" in again.context["form"].errors


def test_an_auditor_after_the_engagement_gets_404(aw: AuditWorld, client: Any) -> None:
    external = UserFactory(username="cabinet")
    rec = _done(aw)
    audit = plans.audit_update(by=aw.w.coordinator, audit=aw.audit(), fields={"auditor": external})
    rec = recommendations.follow_up_add(
        by=aw.w.coordinator, recommendation=rec, text="Note", status="done"
    ).recommendation
    plans.audit_update(
        by=aw.w.coordinator, audit=audit,
        fields={"starts_on": date(2025, 3, 1), "ends_on": date(2025, 3, 31)},
    )  # fmt: skip
    client.force_login(external)
    for url in (*_urls(rec).values(), _add_url(rec.finding)):
        assert client.get(url).status_code == 404, url


def test_the_recommendation_page_in_fixed_queries(
    aw: AuditWorld, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    rec = _done(aw)
    url = _urls(rec)["page"]
    client = client_for("coordinator")
    client.get(url)
    with django_assert_max_num_queries(40) as small:
        client.get(url)
    for i in range(6):
        recommendations.follow_up_add(
            by=aw.w.coordinator, recommendation=rec, text=f"Note {i}", status="done",
            evidence=receipt(),
        )  # fmt: skip
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert "Note 5" in client.get(url).content.decode()


def test_the_engagement_page_lists_recommendations_in_fixed_queries(
    aw: AuditWorld, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    finding = _with_finding(aw)
    _rec(aw, finding)
    url = reverse("audit:audit", kwargs={"slug": aw.w.a.slug, "pk": finding.audit_id})
    client = client_for("auditor")
    client.get(url)
    with django_assert_max_num_queries(40) as small:
        page = client.get(url).content.decode()
    assert "R1" in page and "Émettre une recommandation" in page
    for _ in range(6):
        _rec(aw, finding)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert "R7" in client.get(url).content.decode()
