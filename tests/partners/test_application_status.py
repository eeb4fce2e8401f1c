"""The applicant's own view of its application (private link), declared competences that
feed the partner profile once the file is admissible, and the e-mails on a new application
(a django-tasks task, the locmem backend)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sharaka.core.errors import DomainError, NotFound
from sharaka.partners import selection_selectors as selectors
from sharaka.partners import selection_services as services
from sharaka.partners import services as file_services
from sharaka.partners import tasks
from sharaka.partners.models import AdmissibilityFile, CheckStatus, Decision, Evidence
from sharaka.partners.selection_models import Application, Call, Competence, PartnerCompetence
from tests.conftest import ROLES
from tests.partners.conftest import PartnersWorld, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh(settings: Any) -> None:
    cache.clear()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SHARAKA_SITE_URL = "https://sharaka.example"


def _call(pw: PartnersWorld) -> Call:
    today = timezone.localdate()
    return services.call_open(by=pw.w.officer, partnership=pw.w.a, title="Appel sport",
                              text="Texte", opens_on=today,
                              closes_on=today + dt.timedelta(days=10))  # fmt: skip


def _fields(name: str = "Association Candidate", **more: Any) -> dict[str, Any]:
    return {"name": name, "city": "Ville", "contact_name": "Karim", "contact_email": "k@x.ma",
            "message": "Motivation", "statutes": pdf("statuts.pdf"), **more}  # fmt: skip


def _apply(pw: PartnersWorld, **more: Any) -> Application:
    call = _call(pw)
    with_commit = services._submit(call=call, fields=_fields(**more), on=timezone.localdate())
    return with_commit


def _c(*codes: str) -> list[Competence]:
    return list(Competence.objects.filter(code__in=codes).order_by("code"))


# --- The private link ------------------------------------------------------------------------


def test_the_public_form_leads_to_the_private_page(pw: PartnersWorld) -> None:
    call = _call(pw)
    url = reverse("partners:call_apply", kwargs={"pk": call.pk})
    data = {**_fields(), "competences": [c.pk for c in _c("youth_work", "accounting")]}
    response = Client().post(url, data)
    application = Application.objects.get()
    assert application.token and len(application.token) >= 40
    status_url = reverse("partners:application_status", kwargs={"token": application.token})
    assert response.status_code == 302 and response["Location"] == status_url
    page = Client().get(status_url)
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "no-referrer" and "no-store" in page["Cache-Control"]
    text = page.content.decode()
    assert "Association Candidate" in text and "Appel sport" in text
    assert "statuts.pdf" in text and "À vérifier" in text  # its piece, waiting for a check
    assert "Non recevable" in text  # the computed result: eliminatory pieces are missing
    assert "Animation jeunesse" in text and "Comptabilité" in text  # declared competences
    assert {c.code for c in application.competences.all()} == {"youth_work", "accounting"}


def test_the_page_follows_the_officers_work(pw: PartnersWorld) -> None:
    application = _apply(pw)
    piece = Evidence.objects.get(file=application.file, criterion__code="statutes")
    file_services.evidence_check(by=pw.w.officer, evidence=piece, status=CheckStatus.REJECTED,
                                 comment="Statuts non signés")  # fmt: skip
    services.applications_seen(by=pw.w.officer, call=application.call)
    url = reverse("partners:application_status", kwargs={"token": application.token})
    text = Client().get(url).content.decode()
    assert "Refusée" in text and "Statuts non signés" in text and "pas encore" not in text


@pytest.mark.parametrize("role", [*ROLES, None])
def test_nobody_reads_it_without_its_link(pw: PartnersWorld, client_for: Any,
                                          role: str | None) -> None:  # fmt: skip
    application = _apply(pw)
    client = client_for(role)
    near = application.token[:-1] + ("B" if application.token.endswith("A") else "A")
    for token in ("x" * 43, near, "a" * 65):
        url = reverse("partners:application_status", kwargs={"token": token})
        assert client.get(url).status_code == 404, (role, token)
    own = reverse("partners:application_status", kwargs={"token": application.token})
    assert client.get(own).status_code == 200  # the link is the right, whoever holds it
    assert client.post(own).status_code == 405


def test_another_applications_link_shows_only_that_application(pw: PartnersWorld) -> None:
    first = _apply(pw)
    second = services._submit(call=first.call, fields=_fields("Autre association"),
                              on=timezone.localdate())  # fmt: skip
    assert first.token != second.token
    url = reverse("partners:application_status", kwargs={"token": second.token})
    text = Client().get(url).content.decode()
    assert "Autre association" in text and "Association Candidate" not in text
    with pytest.raises(NotFound):
        selectors.application_status_get(token="")


def test_status_page_queries_are_fixed(pw: PartnersWorld, django_assert_max_num_queries: Any,
                                       django_assert_num_queries: Any) -> None:  # fmt: skip
    application = _apply(pw, competences=_c("youth_work"))
    url = reverse("partners:application_status", kwargs={"token": application.token})
    client = Client()
    client.get(url)
    with django_assert_max_num_queries(12) as small:
        client.get(url)
    for i in range(6):
        file_services.evidence_add(
            by=pw.w.officer,
            file=application.file,
            criterion=pw.criterion("statutes"),
            document=pdf(f"s{i}.pdf"),
        )
    application.competences.set(Competence.objects.all())
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url)


# --- Declared competences --------------------------------------------------------------------


def test_declared_competences_feed_the_profile_once_admissible(pw: PartnersWorld) -> None:
    call = _call(pw)
    services.profile_set(by=pw.w.officer, organization=pw.association,
                         competence=_c("accounting")[0], level=3, reference="Bilans")  # fmt: skip
    application = services._submit(
        call=call, fields=_fields(pw.association.name,
                                  competences=_c("accounting", "youth_work")),
        on=timezone.localdate(),
    )  # fmt: skip
    assert PartnerCompetence.objects.filter(organization=pw.association).count() == 1
    file_services.file_decide(by=pw.w.officer, file=application.file,
                              decision=Decision.NOT_ADMISSIBLE, reason="Incomplet")  # fmt: skip
    assert PartnerCompetence.objects.filter(organization=pw.association).count() == 1
    pw.complete(expires=timezone.localdate() + dt.timedelta(days=300))
    file_services.file_decide(by=pw.w.officer, file=application.file,
                              decision=Decision.ADMISSIBLE, reason="Complet")  # fmt: skip
    lines = {p.competence.code: p for p in PartnerCompetence.objects.filter(
        organization=pw.association).select_related("competence")}  # fmt: skip
    assert set(lines) == {"accounting", "youth_work"}
    assert lines["accounting"].level == 3 and lines["accounting"].reference == "Bilans"
    assert lines["youth_work"].level == 1
    assert lines["youth_work"].reference.startswith("Déclarée, non justifiée")
    assert not lines["youth_work"].document
    # deciding again adds nothing twice
    file_services.file_decide(by=pw.w.officer, file=application.file,
                              decision=Decision.ADMISSIBLE, reason="Toujours")  # fmt: skip
    assert PartnerCompetence.objects.filter(organization=pw.association).count() == 2


def test_a_refused_decision_adds_no_competence(pw: PartnersWorld) -> None:
    call = _call(pw)
    application = services._submit(
        call=call, fields=_fields(pw.association.name, competences=_c("youth_work")),
        on=timezone.localdate(),
    )  # fmt: skip
    with pytest.raises(DomainError):  # not complete: cannot be declared admissible
        file_services.file_decide(by=pw.w.officer, file=application.file,
                                  decision=Decision.ADMISSIBLE, reason="Oui")  # fmt: skip
    assert not PartnerCompetence.objects.filter(organization=pw.association).exists()
    assert AdmissibilityFile.objects.get(pk=application.file.pk).decision == Decision.PENDING


def test_the_officer_sees_declared_competences_on_the_call(pw: PartnersWorld,
                                                           client_for: Any) -> None:  # fmt: skip
    application = _apply(pw, competences=_c("youth_work"))
    url = reverse("partners:call", kwargs={"pk": application.call.pk})
    text = client_for("officer").get(url).content.decode()
    assert "Compétences déclarées" in text and "Animation jeunesse" in text


# --- E-mails on a new application ------------------------------------------------------------


def test_a_new_application_writes_to_the_officers_and_the_applicant(
    pw: PartnersWorld, django_capture_on_commit_callbacks: Any
) -> None:
    pw.w.officer.email = "officer@commune.ma"
    pw.w.officer.save(update_fields=["email"])
    pw.w.other_officer.email = "other@commune.ma"
    pw.w.other_officer.save(update_fields=["email"])
    call = _call(pw)
    url = reverse("partners:call_apply", kwargs={"pk": call.pk})
    with django_capture_on_commit_callbacks(execute=True):
        assert Client().post(url, _fields()).status_code == 302
    application = Application.objects.get()
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {"officer@commune.ma", "k@x.ma"}  # not the other authority
    officer = by_address["officer@commune.ma"]
    assert "Association Candidate" in officer.subject
    assert f"https://sharaka.example/partenaires/appels/{call.pk}/" in officer.body
    applicant = by_address["k@x.ma"]
    assert f"/appels/candidature/{application.token}/" in applicant.body
    assert application.token not in officer.body


def test_a_refused_application_sends_nothing(
    pw: PartnersWorld, django_capture_on_commit_callbacks: Any
) -> None:
    pw.w.officer.email = "officer@commune.ma"
    pw.w.officer.save(update_fields=["email"])
    call = _call(pw)
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(reverse("partners:call_apply", kwargs={"pk": call.pk}),
                      _fields(pw.authority.name))  # fmt: skip
    assert not Application.objects.exists() and mail.outbox == []


def test_the_task_survives_a_missing_application_and_a_failing_server(
    pw: PartnersWorld, monkeypatch: Any
) -> None:
    assert tasks.application_notify(999_999) == 0
    application = _apply(pw)

    def boom(*_a: Any, **_k: Any) -> int:
        raise OSError("smtp down")

    monkeypatch.setattr("django.core.mail.message.EmailMessage.send", boom)
    assert tasks.application_notify(application.pk) == 0
