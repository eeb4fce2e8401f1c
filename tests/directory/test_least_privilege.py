"""Least privilege in the directory (issue 21, item 3).

Who may change which organisation and which person, who reads a person's e-mail and phone,
on every directory route (pages and API) and for every role of ``tests/conftest.py``;
the notice of an e-mail change; lists at a fixed number of queries.

The people of the scene, around partnership A (led by Commune A, whose officer is
``officer``) and partnership B (led by Commune B, ``other_officer``):

    chair       of Commune A, holds a seat on A's board (the board chair of the issue)
    rep         of an association, holds a seat on A's board
    staffer     of a company, works in A's management structure
    former      of the association, whose seat on A's board ended yesterday
    stranger    of Commune B, sits nowhere
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sharaka.accounts.models import ApiToken
from sharaka.core.access import (
    SCOPED_PERMS,
    Perm,
    PersonScope,
    Workplace,
    can,
    can_on_organization,
    can_on_person,
)
from sharaka.core.errors import AccessDenied, DomainError
from sharaka.directory import selectors, services
from sharaka.directory.error_codes import DirectoryErrorCode
from sharaka.directory.models import Organization, Person
from sharaka.governance.models import Board, BoardCollege, Mandate, Seat
from sharaka.structure.models import ManagementStructure, StaffAssignment
from tests.conftest import ROLES, World
from tests.factories import AssociationFactory, CompanyFactory, PersonFactory

pytestmark = pytest.mark.django_db

A_ROLES = {"officer", "coordinator", "board_member", "treasurer", "auditor"}


@dataclass
class Scene:
    w: World
    association: Organization
    company: Organization
    chair: Person
    rep: Person
    staffer: Person
    former: Person
    stranger: Person

    def person(self, name: str) -> Person:
        person: Person = getattr(self, name)
        return person


@pytest.fixture
def scene(world: World) -> Scene:
    today = timezone.localdate()
    association = AssociationFactory(name="Association Alpha")
    company = CompanyFactory(name="Société Beta")
    commune_a, commune_b = world.a.lead_authority, world.b.lead_authority
    chair = PersonFactory(organization=commune_a, email="chair@a.example", phone="+212 1")
    rep = PersonFactory(organization=association, email="rep@alpha.example", phone="+212 2")
    staffer = PersonFactory(organization=company, email="staff@beta.example", phone="+212 3")
    former = PersonFactory(organization=association, email="former@alpha.example")
    stranger = PersonFactory(organization=commune_b, email="stranger@b.example", phone="+212 4")
    board = Board.objects.create(partnership=world.a)
    college = BoardCollege.objects.create(board=board, code="local_public", label="Collectivités")
    start = today - timedelta(days=400)
    for person, organization, end in (
        (chair, commune_a, None),
        (rep, association, None),
        (former, association, today - timedelta(days=1)),
    ):
        seat = Seat.objects.create(
            board=board, college=college, organization=organization, established_on=start
        )
        Mandate.objects.create(seat=seat, person=person, start_date=start, end_date=end)
    structure = ManagementStructure.objects.create(partnership=world.a, kind="light")
    StaffAssignment.objects.create(
        structure=structure, person=staffer, role="director", origin_organization=company,
        time_share=Decimal(50), start_date=start,
    )  # fmt: skip
    return Scene(world, association, company, chair, rep, staffer, former, stranger)


# Who may change each person and who reads their contact details.
EDITORS = {
    "chair": {"admin", "officer"},
    "rep": {"admin", "officer"},
    "staffer": {"admin", "officer"},
    "former": {"admin"},  # the mandate ended: the lead authority's right ended with it
    "stranger": {"admin", "other_officer"},
}
CONTACT_READERS = {
    "chair": {"admin"} | A_ROLES,
    "rep": {"admin"} | A_ROLES,
    "staffer": {"admin"} | A_ROLES,
    "former": {"admin"},
    "stranger": {"admin", "other_officer"},
}
PEOPLE = tuple(EDITORS)


def api(user: Any) -> Client:
    _token, raw = ApiToken.issue(user=user, name="tests")
    return Client(headers={"Authorization": f"Bearer {raw}"})


# --- The policy, as pure functions -----------------------------------------------------------


class TestPolicy:
    def test_an_organisation_is_changed_by_its_own_officers_and_the_admin(
        self, world: World
    ) -> None:
        commune_a = world.a.lead_authority_id
        assert can_on_organization(world.officer, Perm.ORGANIZATION_CHANGE, commune_a)
        assert can_on_organization(world.admin, Perm.ORGANIZATION_CHANGE, commune_a)
        for role in ROLES:
            if role not in {"officer", "admin"}:
                user = world.user(role)
                assert not can_on_organization(user, Perm.ORGANIZATION_CHANGE, commune_a), role
        assert not can_on_organization(AnonymousUser(), Perm.ORGANIZATION_CHANGE, commune_a)

    @pytest.mark.parametrize("role", ROLES)
    def test_scoped_rights_are_never_granted_without_their_object(
        self, world: World, role: str
    ) -> None:
        for perm in SCOPED_PERMS:
            assert not can(world.user(role), perm)
            assert not can(world.user(role), perm, world.a)

    def test_a_workplace_gives_its_roles_and_nothing_else(self, world: World) -> None:
        in_a = PersonScope(None, frozenset({Workplace(world.a.pk, world.a.lead_authority_id)}))
        in_b = PersonScope(None, frozenset({Workplace(world.b.pk, world.b.lead_authority_id)}))
        assert can_on_person(world.officer, Perm.PERSON_CHANGE, in_a)
        assert not can_on_person(world.coordinator, Perm.PERSON_CHANGE, in_a)
        assert can_on_person(world.auditor, Perm.PERSON_CONTACT_VIEW, in_a)
        assert not can_on_person(world.auditor, Perm.PERSON_CONTACT_VIEW, in_b)
        assert not can_on_person(world.officer, Perm.PERSON_CHANGE, in_b)
        assert can_on_person(world.other_officer, Perm.PERSON_CHANGE, in_b)
        assert not can_on_person(world.outsider, Perm.PERSON_CONTACT_VIEW, in_a)
        assert not can_on_person(AnonymousUser(), Perm.PERSON_CONTACT_VIEW, in_a)


# --- The issue's scenario --------------------------------------------------------------------


class TestTizguiScenario:
    """An officer of another commune changed the e-mail of the lead authority's board chair,
    and the next convocation went to that address."""

    def test_service_refuses_and_changes_nothing(self, scene: Scene) -> None:
        with pytest.raises(AccessDenied):
            services.person_update(
                by=scene.w.other_officer, person=scene.chair,
                fields={"email": "attacker@evil.example"},
            )  # fmt: skip
        scene.chair.refresh_from_db()
        assert scene.chair.email == "chair@a.example"
        assert scene.chair.history.count() == 1

    def test_page_refuses_and_changes_nothing(self, scene: Scene, client_for: Any) -> None:
        client = client_for("other_officer")
        url = f"/annuaire/personnes/{scene.chair.pk}/modifier/"
        assert client.get(url).status_code == 403
        response = client.post(
            url,
            {"first_name": "X", "last_name": "Y", "gender": "f", "email": "attacker@evil.example"},
        )
        assert response.status_code == 403
        scene.chair.refresh_from_db()
        assert scene.chair.email == "chair@a.example"

    def test_other_officer_does_not_read_the_chairs_contact(
        self, scene: Scene, client_for: Any
    ) -> None:
        page = client_for("other_officer").get(f"/annuaire/personnes/{scene.chair.pk}/")
        assert page.status_code == 200
        assert "chair@a.example" not in page.content.decode()
        assert "+212 1" not in page.content.decode()


# --- People: every role, every person, every route --------------------------------------------


class TestPeople:
    @pytest.mark.parametrize("role", ROLES)
    @pytest.mark.parametrize("name", PEOPLE)
    def test_who_changes_whom_through_the_service(self, scene: Scene, role: str, name: str) -> None:
        person = scene.person(name)
        allowed = role in EDITORS[name]
        try:
            services.person_update(
                by=scene.w.user(role), person=person, fields={"position": "Changée"}
            )
        except AccessDenied:
            assert not allowed
        else:
            assert allowed
        person.refresh_from_db()
        assert (person.position == "Changée") is allowed

    @pytest.mark.parametrize("role", ROLES)
    @pytest.mark.parametrize("name", PEOPLE)
    def test_who_opens_and_posts_the_edit_page(
        self, scene: Scene, client_for: Any, role: str, name: str
    ) -> None:
        person = scene.person(name)
        client = client_for(role)
        url = f"/annuaire/personnes/{person.pk}/modifier/"
        allowed = role in EDITORS[name]
        assert client.get(url).status_code == (200 if allowed else 403)
        response = client.post(
            url,
            {"first_name": person.first_name, "last_name": "Modifié", "gender": "f",
             "organization": person.organization_id, "email": person.email},
        )  # fmt: skip
        assert response.status_code == (302 if allowed else 403)
        person.refresh_from_db()
        assert (person.last_name == "Modifié") is allowed

    @pytest.mark.parametrize("role", ROLES)
    @pytest.mark.parametrize("name", PEOPLE)
    def test_who_reads_the_contact_details(
        self, scene: Scene, client_for: Any, role: str, name: str
    ) -> None:
        person = scene.person(name)
        page = client_for(role).get(f"/annuaire/personnes/{person.pk}/")
        assert page.status_code == 200
        content = page.content.decode()
        assert str(person.last_name) in content  # the name is for every signed-in user
        assert (person.email in content) is (role in CONTACT_READERS[name])
        assert page.context["can_change"] is (role in EDITORS[name])

    @pytest.mark.parametrize("role", ROLES)
    def test_the_history_hides_contact_changes_from_those_who_may_not_read_them(
        self, scene: Scene, client_for: Any, role: str
    ) -> None:
        services.person_update(
            by=scene.w.officer, person=scene.chair, fields={"email": "new-chair@a.example"}
        )
        content = client_for(role).get(f"/annuaire/personnes/{scene.chair.pk}/historique/")
        text = content.content.decode()
        sees = role in CONTACT_READERS["chair"]
        assert ("chair@a.example" in text) is sees
        assert ("new-chair@a.example" in text) is sees
        assert "courriel" in text.lower()  # the change itself is not hidden

    @pytest.mark.parametrize("role", ROLES)
    def test_lists_show_no_contact_details(self, scene: Scene, client_for: Any, role: str) -> None:
        client = client_for(role)
        for url in (
            "/annuaire/personnes/",
            f"/annuaire/organisations/{scene.w.a.lead_authority_id}/",
            f"/annuaire/organisations/{scene.association.pk}/",
        ):
            text = client.get(url).content.decode()
            assert "@a.example" not in text and "@alpha.example" not in text, url

    def test_search_does_not_match_contact_details(self, scene: Scene, client_for: Any) -> None:
        response = client_for("outsider").get("/annuaire/personnes/", {"q": "chair@a"})
        assert response.context["page_obj"].paginator.count == 0

    def test_anonymous_sees_nothing(self, scene: Scene, client_for: Any) -> None:
        client = client_for(None)
        for url in (
            f"/annuaire/personnes/{scene.chair.pk}/",
            f"/annuaire/personnes/{scene.chair.pk}/modifier/",
            f"/annuaire/personnes/{scene.chair.pk}/historique/",
        ):
            response = client.get(url)
            assert response.status_code == 302  # to the sign-in page
            assert b"chair@a.example" not in response.content

    def test_the_lead_authority_does_not_move_a_partners_representative(self, scene: Scene) -> None:
        with pytest.raises(DomainError) as error:
            services.person_update(
                by=scene.w.officer, person=scene.rep,
                fields={"organization": scene.w.a.lead_authority},
            )  # fmt: skip
        assert error.value.code == DirectoryErrorCode.ORGANIZATION_MOVE_DENIED
        assert error.value.field == "organization"
        scene.rep.refresh_from_db()
        assert scene.rep.organization_id == scene.association.pk

    def test_the_refusal_to_move_shows_on_the_form_field(
        self, scene: Scene, client_for: Any
    ) -> None:
        rep = scene.rep
        response = client_for("officer").post(
            f"/annuaire/personnes/{rep.pk}/modifier/",
            {"first_name": rep.first_name, "last_name": rep.last_name, "gender": "f",
             "organization": scene.w.a.lead_authority_id, "email": rep.email},
        )  # fmt: skip
        assert response.status_code == 200
        assert "organization" in response.context["form"].errors

    def test_the_own_organisation_moves_its_people(self, scene: Scene) -> None:
        services.person_update(
            by=scene.w.officer, person=scene.chair, fields={"organization": scene.association}
        )
        scene.chair.refresh_from_db()
        assert scene.chair.organization_id == scene.association.pk


# --- Organisations: pages and API ------------------------------------------------------------

ORG_EDITORS = {
    "commune_a": {"admin", "officer"},
    "commune_b": {"admin", "other_officer"},
    "association": {"admin"},
}


def _organization(scene: Scene, name: str) -> Organization:
    return {
        "commune_a": scene.w.a.lead_authority,
        "commune_b": scene.w.b.lead_authority,
        "association": scene.association,
    }[name]


class TestOrganizations:
    @pytest.mark.parametrize("role", ROLES)
    @pytest.mark.parametrize("name", tuple(ORG_EDITORS))
    def test_who_changes_which_organisation_on_the_pages(
        self, scene: Scene, client_for: Any, role: str, name: str
    ) -> None:
        organization = _organization(scene, name)
        client = client_for(role)
        allowed = role in ORG_EDITORS[name]
        url = f"/annuaire/organisations/{organization.pk}/modifier/"
        assert client.get(url).status_code == (200 if allowed else 403)
        response = client.post(
            url,
            {"name": organization.name, "kind": organization.kind, "country": "MA",
             "email": "hijack@evil.example", "default_college": organization.default_college},
        )  # fmt: skip
        assert response.status_code == (302 if allowed else 403)
        organization.refresh_from_db()
        assert (organization.email == "hijack@evil.example") is allowed
        detail = client.get(f"/annuaire/organisations/{organization.pk}/")
        assert detail.context["can_change"] is allowed

    @pytest.mark.parametrize("role", ROLES)
    @pytest.mark.parametrize("name", tuple(ORG_EDITORS))
    def test_who_changes_which_organisation_through_the_api(
        self, scene: Scene, role: str, name: str
    ) -> None:
        organization = _organization(scene, name)
        response = api(scene.w.user(role)).patch(
            f"/api/organizations/{organization.pk}",
            data={"email": "hijack@evil.example"},
            content_type="application/json",
        )
        allowed = role in ORG_EDITORS[name]
        assert response.status_code == (200 if allowed else 403), response.content
        if not allowed:
            assert response["Content-Type"] == "application/problem+json"
        organization.refresh_from_db()
        assert (organization.email == "hijack@evil.example") is allowed

    def test_anonymous_api_changes_nothing(self, scene: Scene) -> None:
        organization = scene.w.a.lead_authority
        response = Client().patch(
            f"/api/organizations/{organization.pk}",
            data={"email": "hijack@evil.example"},
            content_type="application/json",
        )
        assert response.status_code in {401, 403}
        organization.refresh_from_db()
        assert organization.email != "hijack@evil.example"


# --- Exports -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["admin", "officer", "board_member", "auditor"])
def test_popolo_exports_carry_no_contact_details(scene: Scene, role: str) -> None:
    client = api(scene.w.user(role))
    for url in (
        "/api/governance/partnerships/partenariat-a/board/popolo",
        "/api/meetings/partnerships/partenariat-a/popolo",
    ):
        response = client.get(url)
        assert response.status_code == 200, (url, response.content)
        text = response.content.decode()
        assert "@a.example" not in text and "@alpha.example" not in text, url
        assert "+212" not in text, url
    board = client.get("/api/governance/partnerships/partenariat-a/board/popolo").json()
    assert {p["family_name"] for p in board["persons"]} >= {scene.chair.last_name}


# --- The e-mail change: recorded and notified ---------------------------------------------------


class TestEmailChange:
    def test_notified_to_the_old_and_the_new_address_with_who_and_when(
        self, scene: Scene, django_capture_on_commit_callbacks: Any
    ) -> None:
        scene.w.officer.first_name, scene.w.officer.last_name = "Samira", "Agent"
        scene.w.officer.save()
        with django_capture_on_commit_callbacks(execute=True):
            services.person_update(
                by=scene.w.officer, person=scene.chair, fields={"email": "new@a.example"}
            )
        assert sorted(m.to[0] for m in mail.outbox) == ["chair@a.example", "new@a.example"]
        assert all(len(m.to) == 1 for m in mail.outbox)  # neither address learns the other's
        body = mail.outbox[0].body
        assert "chair@a.example" in body and "new@a.example" in body
        assert "Samira Agent (officer)" in body
        assert str(timezone.localdate().year) in body
        assert str(scene.chair) in mail.outbox[0].subject

    def test_recorded_with_who_even_outside_a_web_request(self, scene: Scene) -> None:
        services.person_update(
            by=scene.w.officer, person=scene.chair, fields={"email": "new@a.example"}
        )
        record = scene.chair.history.order_by("-history_date", "-history_id").first()
        assert record is not None
        assert record.email == "new@a.example"
        assert record.history_user == scene.w.officer
        previous = record.prev_record
        assert previous is not None and previous.email == "chair@a.example"

    def test_the_page_names_who_changed_it_in_the_history(
        self, scene: Scene, client_for: Any
    ) -> None:
        services.person_update(
            by=scene.w.officer, person=scene.chair, fields={"email": "new@a.example"}
        )
        text = client_for("admin").get(f"/annuaire/personnes/{scene.chair.pk}/historique/")
        assert "officer" in text.content.decode()

    def test_no_notice_when_the_email_does_not_change(
        self, scene: Scene, django_capture_on_commit_callbacks: Any
    ) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            services.person_update(
                by=scene.w.officer, person=scene.chair, fields={"position": "Présidente"}
            )
        assert mail.outbox == []

    def test_no_notice_when_the_change_is_refused(
        self, scene: Scene, django_capture_on_commit_callbacks: Any
    ) -> None:
        with (
            django_capture_on_commit_callbacks(execute=True) as callbacks,
            pytest.raises(DomainError),
        ):
            services.person_update(
                by=scene.w.officer, person=scene.chair, fields={"email": "pas-un-courriel"}
            )
        assert callbacks == [] and mail.outbox == []

    def test_a_first_address_is_notified_to_it(
        self, scene: Scene, django_capture_on_commit_callbacks: Any
    ) -> None:
        person = PersonFactory(organization=scene.w.a.lead_authority)
        with django_capture_on_commit_callbacks(execute=True):
            services.person_update(
                by=scene.w.officer, person=person, fields={"email": "first@a.example"}
            )
        assert [m.to for m in mail.outbox] == [["first@a.example"]]

    def test_the_notice_is_a_background_task(
        self, scene: Scene, django_capture_on_commit_callbacks: Any, settings: Any
    ) -> None:
        """With the database backend the notice waits in the queue for the worker."""
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
        from django_tasks_db.models import DBTaskResult

        with django_capture_on_commit_callbacks(execute=True):
            services.person_update(
                by=scene.w.officer, person=scene.chair, fields={"email": "new@a.example"}
            )
        assert mail.outbox == []
        queued = DBTaskResult.objects.get()
        assert queued.task_path == "sharaka.directory.tasks.email_change_notify"
        assert queued.args_kwargs["kwargs"]["old_email"] == "chair@a.example"


# --- Fixed query counts and pages -----------------------------------------------------------------


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["admin", "officer", "outsider"])
def test_lists_and_pages_keep_a_fixed_number_of_queries(
    scene: Scene, client_for: Any, role: str
) -> None:
    client = client_for(role)
    commune_a = scene.w.a.lead_authority
    urls = (
        "/annuaire/personnes/",
        "/annuaire/personnes/?q=Nom",
        "/annuaire/organisations/",
        "/annuaire/organisations/?q=a",
        f"/annuaire/organisations/{commune_a.pk}/",
        f"/annuaire/personnes/{scene.chair.pk}/",
        f"/annuaire/personnes/{scene.chair.pk}/historique/",
    )
    api_client = api(scene.w.user(role))
    api_urls = ("/api/organizations", "/api/organizations?q=a")
    small = {url: _queries(client, url) for url in urls}
    small |= {url: _queries(api_client, url) for url in api_urls}
    for n in range(40):
        AssociationFactory(name=f"Association {n:02d}")
        PersonFactory(organization=commune_a, last_name=f"Nom{n:02d}")
    large = {url: _queries(client, url) for url in urls}
    large |= {url: _queries(api_client, url) for url in api_urls}
    assert large == small


def test_an_organisations_people_are_paginated(scene: Scene, client_for: Any) -> None:
    commune_a = scene.w.a.lead_authority
    for _ in range(40):
        PersonFactory(organization=commune_a)
    client = client_for("outsider")
    page = client.get(f"/annuaire/organisations/{commune_a.pk}/")
    assert len(page.context["people"]) == 25
    assert page.context["people"].paginator.count == 41
    page2 = client.get(f"/annuaire/organisations/{commune_a.pk}/", {"page": 2})
    assert len(page2.context["people"]) == 16


def test_person_scopes_cost_one_query_per_source(scene: Scene) -> None:
    people = list(Person.objects.all())
    with CaptureQueriesContext(connection) as queries:
        scopes = selectors.person_scopes(people=people, on=date.today())
    assert len(queries) == 2  # board mandates, staff assignments
    a = Workplace(scene.w.a.pk, scene.w.a.lead_authority_id)
    assert scopes[scene.chair.pk].workplaces == frozenset({a})
    assert scopes[scene.staffer.pk].workplaces == frozenset({a})
    assert scopes[scene.former.pk].workplaces == frozenset()
    assert scopes[scene.stranger.pk].workplaces == frozenset()
