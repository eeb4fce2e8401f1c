"""Partner selection (M11): profiles, choices, the selection page, calls and the public
application form; services with their refusals, access per role and route, uploads with
bad files, fixed query counts, the to-do item, the demo."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sharaka import demo
from sharaka.core.errors import AccessDenied, DomainError, NotFound
from sharaka.core.immutable import ImmutableError
from sharaka.core.todo import todo_for
from sharaka.directory.models import Organization
from sharaka.partners import selection_selectors as selectors
from sharaka.partners import selection_services as services
from sharaka.partners.models import AdmissibilityFile, Evidence
from sharaka.partners.selection_models import (
    Application,
    Call,
    Competence,
    PartnerChoice,
    PartnerCompetence,
)
from sharaka.partners.selection_todo import new_applications
from sharaka.partnerships.models import Partnership, Party
from tests.conftest import ROLES
from tests.factories import AssociationFactory
from tests.partners.conftest import PDF, PNG, PartnersWorld, pdf

pytestmark = pytest.mark.django_db

ALLOWED = {"admin", "officer"}


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


def _c(code: str) -> Competence:
    return Competence.objects.get(code=code)


def _profile(pw: PartnersWorld, org: Organization, **levels: int) -> None:
    for code, level in levels.items():
        services.profile_set(by=pw.w.officer, organization=org, competence=_c(code), level=level,
                             reference="Réalisations")  # fmt: skip


def _call(pw: PartnersWorld, **fields: Any) -> Call:
    today = timezone.localdate()
    data = {"title": "Appel", "text": "Texte", "opens_on": today,
            "closes_on": today + dt.timedelta(days=10), **fields}  # fmt: skip
    return services.call_open(by=pw.w.officer, partnership=pw.w.a, **data)


def _application_fields(name: str = "Association Candidate", **more: Any) -> dict[str, Any]:
    return {"name": name, "city": "Ville", "contact_name": "Karim", "contact_email": "k@x.ma",
            "message": "Motivation", "statutes": pdf("statuts.pdf"), **more}  # fmt: skip


# --- Requirements ----------------------------------------------------------------------------


def test_default_requirements_are_data_and_an_authority_may_have_its_own(pw: PartnersWorld) -> None:
    sport = selectors.requirements_for(authority_id=pw.authority.pk, sector="sports_facility")
    assert {r.competence.code for r in sport} >= {"facility_management", "sport_coaching"}
    assert selectors.requirements_for(authority_id=pw.authority.pk, sector="employment")
    from sharaka.partners.selection_models import SectorRequirement

    SectorRequirement.objects.create(authority=pw.authority, sector="sports_facility",
                                     competence=_c("forestry"), level=3)  # fmt: skip
    own = selectors.requirements_for(authority_id=pw.authority.pk, sector="sports_facility")
    assert [(r.competence.code, r.level) for r in own] == [("forestry", 3)]
    other = selectors.requirements_for(authority_id=pw.other_authority.pk, sector="sports_facility")
    assert len(other) == len(sport)


# --- Profiles --------------------------------------------------------------------------------


def test_profile_set_and_update(pw: PartnersWorld) -> None:
    line = services.profile_set(by=pw.w.officer, organization=pw.association,
                                competence=_c("accounting"), level=2,
                                reference="Comptes certifiés", document=pdf())  # fmt: skip
    assert line.content_type == "application/pdf" and line.document
    again = services.profile_set(by=pw.w.officer, organization=pw.association,
                                 competence=_c("accounting"), level=3)  # fmt: skip
    assert again.pk == line.pk and again.level == 3
    assert PartnerCompetence.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"level": 4, "reference": "x"}, "level"),
        ({"level": 2, "reference": " "}, "reference"),
        ({"level": 2, "document": SimpleUploadedFile("x.pdf", PNG)}, "document"),
        ({"level": 2, "document": SimpleUploadedFile("x.exe", PDF)}, "document"),
    ],
)
def test_profile_refusals_change_nothing(pw: PartnersWorld, fields: dict[str, Any],
                                         field: str) -> None:  # fmt: skip
    with pytest.raises(DomainError) as refusal:
        services.profile_set(by=pw.w.officer, organization=pw.association,
                             competence=_c("accounting"), **fields)  # fmt: skip
    assert refusal.value.field == field
    assert not PartnerCompetence.objects.exists()


@pytest.mark.parametrize("role", ["coordinator", "outsider", "treasurer"])
def test_profiles_are_kept_by_officers_only(pw: PartnersWorld, role: str) -> None:
    with pytest.raises(NotFound):
        services.profile_set(by=pw.w.user(role), organization=pw.association,
                             competence=_c("accounting"), level=1, reference="x")  # fmt: skip
    assert not PartnerCompetence.objects.exists()


# --- Choices ---------------------------------------------------------------------------------


def test_choice_recorded_with_coverage_and_append_only(pw: PartnersWorld) -> None:
    _profile(pw, pw.association, facility_management=2, sport_coaching=3)
    choice = services.choice_record(by=pw.w.officer, partnership=pw.w.a,
                                    organization=pw.association, decision="chosen",
                                    reason="Gère déjà le terrain")  # fmt: skip
    assert choice.coverage == 50 and choice.chosen_by == pw.w.officer
    choice.reason = "autre"
    with pytest.raises(ImmutableError):
        choice.save()
    with pytest.raises(ImmutableError):
        choice.delete()


@pytest.mark.parametrize(
    ("who", "kwargs", "error"),
    [
        ("officer", {"reason": " "}, DomainError),
        ("officer", {"decision": "maybe"}, DomainError),
        ("officer", {"lead": True}, DomainError),
        ("other_officer", {}, NotFound),
        ("coordinator", {}, NotFound),
    ],
)
def test_choice_refusals_change_nothing(pw: PartnersWorld, who: str, kwargs: dict[str, Any],
                                        error: type[Exception]) -> None:  # fmt: skip
    organization = pw.authority if kwargs.pop("lead", False) else pw.association
    fields = {"decision": "chosen", "reason": "Pourquoi", **kwargs}
    with pytest.raises(error):
        services.choice_record(by=pw.w.user(who), partnership=pw.w.a, organization=organization,
                               **fields)  # fmt: skip
    assert not PartnerChoice.objects.exists()


def test_a_terminated_partnership_is_read_only(pw: PartnersWorld, client_for: Any) -> None:
    Partnership.objects.filter(pk=pw.w.a.pk).update(status="terminated")
    pw.w.a.refresh_from_db()
    with pytest.raises(AccessDenied):
        services.choice_record(by=pw.w.officer, partnership=pw.w.a, organization=pw.association,
                               decision="chosen", reason="x")  # fmt: skip
    client = client_for("officer")
    page = client.get(reverse("partners:selection", kwargs={"slug": pw.w.a.slug}))
    assert page.status_code == 200 and "/choisir/" not in page.content.decode()
    url = reverse("partners:call_open", kwargs={"slug": pw.w.a.slug})
    assert client.get(url).status_code == 403


# --- The selection page ----------------------------------------------------------------------


def test_gaps_candidates_and_ranking(pw: PartnersWorld) -> None:
    # sports facility: facility_management 2, sport_coaching 2, youth_work 1, accounting 2
    party = AssociationFactory(name="Partie")
    Party.objects.create(partnership=pw.w.a, organization=party, role="partner")
    _profile(pw, party, facility_management=2, accounting=3)
    strong = AssociationFactory(name="Forte")
    _profile(pw, strong, sport_coaching=2, youth_work=1)
    _profile(pw, pw.association, sport_coaching=1)  # below the level: covers nothing
    AssociationFactory(name="Sans profil")
    view = selectors.selection_view_get(user=pw.w.officer, partnership=pw.w.a)
    assert [g.competence.code for g in view.gaps] == ["sport_coaching", "youth_work"]
    assert [r.organization.name for r in view.rows] == ["Forte", "Association Amal"]
    assert [r.coverage for r in view.rows] == [50, 0]
    assert view.rows[0].fills == [_c("sport_coaching").label, _c("youth_work").label]
    services.choice_record(by=pw.w.officer, partnership=pw.w.a, organization=strong,
                           decision="chosen", reason="Comble les manques")  # fmt: skip
    view = selectors.selection_view_get(user=pw.w.officer, partnership=pw.w.a)
    assert view.gaps == [] and view.rows[0].chosen


def test_admissible_first_at_equal_coverage_search_and_paging(pw: PartnersWorld) -> None:
    others = [AssociationFactory(name=f"Asso {i}") for i in range(3)]
    for org in [*others, pw.association]:
        _profile(pw, org, accounting=2)
    pw.complete(expires=timezone.localdate() + dt.timedelta(days=300))
    from sharaka.partners import services as file_services

    file_services.file_decide(by=pw.w.officer, file=pw.file, decision="admissible", reason="ok")
    seen: list[str] = []
    after = ""
    while True:
        view = selectors.selection_view_get(user=pw.w.officer, partnership=pw.w.a, after=after,
                                            size=1)  # fmt: skip
        seen += [r.organization.name for r in view.rows]
        if view.next_after is None:
            break
        after = view.next_after
    assert seen[0] == "Association Amal" and sorted(seen[1:]) == ["Asso 0", "Asso 1", "Asso 2"]
    assert len(seen) == 4
    found = selectors.selection_view_get(user=pw.w.officer, partnership=pw.w.a, query="asso 1")
    assert [r.organization.name for r in found.rows] == ["Asso 1"]


def test_selection_page_queries_do_not_grow(pw: PartnersWorld, client_for: Any) -> None:
    client = client_for("officer")
    url = reverse("partners:selection", kwargs={"slug": pw.w.a.slug})

    def count() -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    def grow(n: int) -> None:
        for i in range(n):
            org = AssociationFactory()
            _profile(pw, org, accounting=2, youth_work=1)
            services.choice_record(by=pw.w.officer, partnership=pw.w.a, organization=org,
                                   decision="set_aside", reason=f"n° {i}")  # fmt: skip
            party = AssociationFactory()
            Party.objects.create(partnership=pw.w.a, organization=party, role="partner")
            _profile(pw, party, sport_coaching=1)
        call = _call(pw, title=f"Appel {n}")
        services._submit(call=call, fields=_application_fields(f"Candidate {n}"),
                         on=timezone.localdate())  # fmt: skip

    grow(2)
    small = count()
    grow(8)
    assert count() == small


def test_profile_page_queries_do_not_grow(pw: PartnersWorld, client_for: Any) -> None:
    client = client_for("officer")
    url = reverse("partners:profile", kwargs={"pk": pw.association.pk})
    _profile(pw, pw.association, accounting=2)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    _profile(pw, pw.association, youth_work=2, forestry=1, sport_coaching=3)
    for i in range(4):
        p = Partnership.objects.create(title=f"P{i}", slug=f"p-{i}", kind="management",
                                       category="facility", sector="forest", complexity="small",
                                       lead_authority=pw.authority)  # fmt: skip
        Party.objects.create(partnership=p, organization=pw.association, role="partner")
    with CaptureQueriesContext(connection) as big:
        html = client.get(url).content.decode()
    assert len(big) == len(small)
    assert "Gestion forestière" in html


# --- Access per role and route ---------------------------------------------------------------


def _routes(pw: PartnersWorld) -> tuple[list[str], list[str]]:
    call = _call(pw)
    slug = pw.w.a.slug
    reads = [
        reverse("partners:selection", kwargs={"slug": slug}),
        reverse("partners:call", kwargs={"pk": call.pk}),
        reverse("partners:profiles"),
        reverse("partners:profile", kwargs={"pk": pw.association.pk}),
    ]
    writes = [
        reverse("partners:choose", kwargs={"slug": slug, "organization": pw.association.pk}),
        reverse("partners:call_open", kwargs={"slug": slug}),
        reverse("partners:applications_seen", kwargs={"pk": call.pk}),
    ]
    return reads, writes


@pytest.mark.parametrize("role", ROLES)
def test_pages_per_role(pw: PartnersWorld, client_for: Any, role: str) -> None:
    reads, writes = _routes(pw)
    client = client_for(role)
    profile_readers = {"admin", "officer", "other_officer"}
    for url in [*reads, *writes]:
        allowed = profile_readers if "/profils/" in url else ALLOWED
        assert client.get(url).status_code == (200 if role in allowed else 404), (url, role)


def test_anonymous_is_sent_to_sign_in(pw: PartnersWorld) -> None:
    reads, writes = _routes(pw)
    for url in [*reads, *writes]:
        response = Client().get(url)
        assert response.status_code == 302 and "/comptes/" in response["Location"], url


def test_choose_and_open_a_call_through_the_pages(pw: PartnersWorld, client_for: Any) -> None:
    client = client_for("officer")
    slug = pw.w.a.slug
    url = reverse("partners:choose", kwargs={"slug": slug, "organization": pw.association.pk})
    assert client.post(url, {"decision": "chosen", "reason": ""}).status_code == 200
    assert client.post(url, {"decision": "chosen", "reason": "Proche"}).status_code == 302
    assert PartnerChoice.objects.get().reason == "Proche"
    url = reverse("partners:call_open", kwargs={"slug": slug})
    today = timezone.localdate()
    bad = {"title": "A", "text": "T", "opens_on": today, "closes_on": today - dt.timedelta(1)}
    assert client.post(url, bad).status_code == 200 and not Call.objects.exists()
    good = {**bad, "closes_on": today + dt.timedelta(days=3)}
    response = client.post(url, good)
    assert response.status_code == 302 and Call.objects.count() == 1


def test_profile_upload_page_refuses_a_bad_file(pw: PartnersWorld, client_for: Any) -> None:
    client = client_for("officer")
    url = reverse("partners:profile_set", kwargs={"pk": pw.association.pk})
    fake = SimpleUploadedFile("justificatif.pdf", b"MZ not a pdf")
    response = client.post(url, {"competence": _c("accounting").pk, "level": 2,
                                 "reference": "", "document": fake})  # fmt: skip
    assert response.status_code == 422 and not PartnerCompetence.objects.exists()
    response = client.post(url, {"competence": _c("accounting").pk, "level": 2,
                                 "document": pdf()})  # fmt: skip
    assert response.status_code == 302
    line = PartnerCompetence.objects.get()
    doc = reverse("partners:profile_document", kwargs={"pk": pw.association.pk, "line": line.pk})
    assert client.get(doc).status_code == 200
    assert client_for("coordinator").get(doc).status_code == 404


# --- Calls and the public form ---------------------------------------------------------------


def test_public_application_opens_the_file_with_its_documents(pw: PartnersWorld) -> None:
    call = _call(pw)
    url = reverse("partners:call_apply", kwargs={"pk": call.pk})
    client = Client(enforce_csrf_checks=True)
    page = client.get(url)
    assert page.status_code == 200
    token = page.cookies["csrftoken"].value
    data = {**_application_fields(), "receipt": pdf("recu.pdf"), "csrfmiddlewaretoken": token}
    response = client.post(url, data)
    assert response.status_code == 302
    application = Application.objects.get()
    association = application.organization
    assert association.kind == "association" and association.name == "Association Candidate"
    file = AdmissibilityFile.objects.get(association=association, authority=pw.authority)
    assert sorted(e.criterion.code for e in Evidence.objects.filter(file=file)) == [
        "receipt",
        "statutes",
    ]
    assert set(Evidence.objects.values_list("status", flat=True)) == {"pending"}


def test_an_existing_file_is_added_to(pw: PartnersWorld) -> None:
    call = _call(pw)
    services._submit(call=call, fields=_application_fields(pw.association.name),
                     on=timezone.localdate())  # fmt: skip
    assert AdmissibilityFile.objects.filter(association=pw.association).count() == 1
    assert Evidence.objects.filter(file=pw.file, criterion__code="statutes").exists()
    with pytest.raises(DomainError):
        services._submit(call=call, fields=_application_fields(pw.association.name),
                         on=timezone.localdate())  # fmt: skip
    assert Application.objects.count() == 1


def test_public_form_refuses_bad_files_and_changes_nothing(pw: PartnersWorld) -> None:
    call = _call(pw)
    url = reverse("partners:call_apply", kwargs={"pk": call.pk})
    before = Organization.objects.count()
    fake = SimpleUploadedFile("statuts.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 20)
    response = Client().post(url, {**_application_fields(), "statutes": fake})
    assert response.status_code == 400
    assert "PDF, PNG ou JPEG" in response.content.decode()
    assert Organization.objects.count() == before and not Application.objects.exists()
    assert not Evidence.objects.filter(file__association__name="Association Candidate").exists()


def test_public_form_throttled_and_closed_calls_gone(pw: PartnersWorld, settings: Any) -> None:
    settings.SHARAKA_REQUESTS_PER_IP = 1
    call = _call(pw)
    url = reverse("partners:call_apply", kwargs={"pk": call.pk})
    assert Client().post(url, _application_fields("A1")).status_code == 302
    assert Client().post(url, _application_fields("A2")).status_code == 429
    assert Application.objects.count() == 1
    today = timezone.localdate()
    Call.objects.filter(pk=call.pk).update(
        closes_on=today - dt.timedelta(1), opens_on=today - dt.timedelta(5)
    )
    assert Client().get(url).status_code == 404
    with pytest.raises(DomainError):
        services.call_open(by=pw.w.officer, partnership=pw.w.a, title="x", text="y",
                           opens_on=timezone.localdate(),
                           closes_on=timezone.localdate() - dt.timedelta(1))  # fmt: skip
    with pytest.raises(NotFound):
        services.call_open(by=pw.w.other_officer, partnership=pw.w.a, title="x", text="y",
                           opens_on=today, closes_on=today)  # fmt: skip


def test_an_applicant_that_is_no_association_is_refused(pw: PartnersWorld) -> None:
    call = _call(pw)
    with pytest.raises(DomainError) as refusal:
        services._submit(call=call, fields=_application_fields(pw.authority.name),
                         on=timezone.localdate())  # fmt: skip
    assert refusal.value.field == "name" and not Application.objects.exists()


# --- To-do -----------------------------------------------------------------------------------


def test_new_applications_to_do_for_the_lead_officer_only(pw: PartnersWorld) -> None:
    today = timezone.localdate()
    call = _call(pw)
    services._submit(call=call, fields=_application_fields("A1"), on=today)
    services._submit(call=call, fields=_application_fields("A2"), on=today)
    items = new_applications(pw.w.officer, today)
    assert len(items) == 1 and "2" in items[0].label
    assert any(i.source == "partners.new_applications" for i in todo_for(pw.w.officer, today=today))
    for role in ("other_officer", "coordinator", "admin"):
        assert new_applications(pw.w.user(role), today) == []
    with CaptureQueriesContext(connection) as small:
        new_applications(pw.w.officer, today)
    other = _call(pw, title="Autre")
    for i in range(5):
        services._submit(call=other, fields=_application_fields(f"B{i}"), on=today)
    with CaptureQueriesContext(connection) as big:
        assert len(new_applications(pw.w.officer, today)) == 2
    assert len(big) == len(small) == 1
    services.applications_seen(by=pw.w.officer, call=call)
    assert len(new_applications(pw.w.officer, today)) == 1


# --- Demo ------------------------------------------------------------------------------------


def test_demo_selection_page_shows_one_uncovered_competence() -> None:
    demo.load_demo()
    partnership = Partnership.objects.get(slug="programme-emploi-jeunes")
    from django.contrib.auth import get_user_model

    officer = get_user_model().objects.get(username="agent.oz")
    view = selectors.selection_view_get(user=officer, partnership=partnership)
    assert [g.competence.code for g in view.gaps] == ["entrepreneurship"]
    assert any(r.fills for r in view.rows)
    call = Call.objects.get(partnership=partnership)
    assert call.is_open(timezone.localdate()) and call.applications.count() == 1
    assert new_applications(officer, timezone.localdate())
    counts = (Call.objects.count(), Application.objects.count(), PartnerChoice.objects.count(),
              PartnerCompetence.objects.count())  # fmt: skip
    demo.load_demo()
    assert (Call.objects.count(), Application.objects.count(), PartnerChoice.objects.count(),
            PartnerCompetence.objects.count()) == counts  # fmt: skip
