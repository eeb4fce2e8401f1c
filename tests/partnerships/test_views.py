"""Partnership pages: who sees what, forms, htmx partials, history, public portal."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sharaka.partnerships.models import Partnership, StatusTransition
from tests.conftest import ROLES, World

pytestmark = pytest.mark.django_db

# Expected HTTP status per role for each page of partnership A. Anonymous users are sent to
# the sign-in page (302); 404 hides partnerships a user has no business seeing.
READERS = {"admin", "officer", "coordinator", "board_member", "treasurer", "auditor"}
EDITORS = {"admin", "officer", "coordinator"}
AUTHORITY = {"admin", "officer"}


def expected(role: str, allowed: set[str]) -> int:
    if role in allowed:
        return 200
    return 404 if role not in READERS else 403


PAGES = [
    ("/partenariats/partenariat-a/", READERS),
    ("/partenariats/partenariat-a/historique/", READERS),
    ("/partenariats/partenariat-a/a-venir/finance/", READERS),
    ("/partenariats/partenariat-a/modifier/", EDITORS),
    ("/partenariats/partenariat-a/statut/", AUTHORITY),
    ("/partenariats/partenariat-a/acces/", AUTHORITY),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("url", "allowed"), PAGES)
def test_page_access_per_role(client_for: Any, role: str, url: str, allowed: set[str]) -> None:
    response = client_for(role).get(url)
    assert response.status_code == expected(role, allowed)


@pytest.mark.parametrize(("url", "_allowed"), PAGES)
def test_anonymous_is_sent_to_sign_in(client_for: Any, url: str, _allowed: set[str]) -> None:
    response = client_for(None).get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/comptes/connexion/")


@pytest.mark.parametrize("role", ["coordinator", "board_member", "treasurer", "auditor"])
def test_member_of_a_gets_404_on_b(client_for: Any, role: str) -> None:
    client = client_for(role)
    assert client.get("/partenariats/partenariat-b/").status_code == 404
    assert client.get("/partenariats/partenariat-b/historique/").status_code == 404


def test_list_shows_only_visible_partnerships(client_for: Any) -> None:
    for role, titles in {
        "admin": {"Partenariat A", "Partenariat B"},
        "officer": {"Partenariat A"},
        "other_officer": {"Partenariat B"},
        "coordinator": {"Partenariat A"},
        "outsider": set(),
    }.items():
        response = client_for(role).get("/partenariats/")
        assert response.status_code == 200
        shown = {p.title for p in response.context["page_obj"]}
        assert shown == titles, role


def test_list_filters_and_htmx_partial(client_for: Any, world: World) -> None:
    client = client_for("admin")
    response = client.get("/partenariats/", {"q": "Partenariat B"})
    assert [p.title for p in response.context["page_obj"]] == ["Partenariat B"]
    partial = client.get("/partenariats/", {"status": "draft"}, headers={"HX-Request": "true"})
    body = partial.content.decode()
    assert "<html" not in body
    assert "Partenariat A" in body
    bad = client.get("/partenariats/", {"sector": "nope", "page": "99"})
    assert bad.status_code == 200  # an invalid filter is ignored, not a crash


def test_list_query_count_does_not_grow(client_for: Any, world: World,
                                        django_assert_max_num_queries: Any) -> None:  # fmt: skip
    from tests.factories import PartnershipFactory

    client = client_for("admin")
    client.get("/partenariats/")  # warm the session
    for _ in range(20):
        PartnershipFactory(lead_authority=world.a.lead_authority)
    with django_assert_max_num_queries(8):
        client.get("/partenariats/")


def test_create_through_the_form(client_for: Any, world: World) -> None:
    client = client_for("officer")
    response = client.post(
        "/partenariats/nouveau/",
        {
            "title": "Forêt communale",
            "kind": "management",
            "category": "facility",
            "sector": "forest",
            "complexity": "small",
            "lead_authority": world.a.lead_authority_id,
            "start_date": "2026-01-01",
            "end_date": "2027-01-01",
        },
    )
    assert response.status_code == 302
    created = Partnership.objects.get(title="Forêt communale")
    assert response["Location"] == f"/partenariats/{created.slug}/"


def test_form_errors_name_the_field_and_write_nothing(client_for: Any, world: World) -> None:
    response = client_for("officer").post(
        "/partenariats/nouveau/",
        {"title": "", "kind": "management", "category": "facility", "sector": "forest",
         "complexity": "small", "lead_authority": world.a.lead_authority_id,
         "start_date": "2026-01-01", "end_date": "2025-01-01"},
    )  # fmt: skip
    assert response.status_code == 200
    form = response.context["form"]
    assert "title" in form.errors
    assert "end_date" in form.errors
    assert Partnership.objects.count() == 2


def test_transition_flow_and_refusal(client_for: Any, world: World) -> None:
    client = client_for("officer")
    page = client.get("/partenariats/partenariat-a/statut/")
    assert "Confirmer" in page.content.decode()
    assert 'data-condition="two_parties" data-state="missing"' in page.content.decode()
    lacking = client.post("/partenariats/partenariat-a/statut/", {"to_status": "negotiation"})
    assert lacking.status_code == 200
    assert "Au moins deux parties" in str(lacking.context["form"].errors["to_status"])
    from tests.factories import AssociationFactory

    world.a.parties.create(organization=AssociationFactory(), role="partner")
    response = client.post("/partenariats/partenariat-a/statut/", {"to_status": "negotiation"})
    assert response.status_code == 302
    world.a.refresh_from_db()
    assert world.a.status == "negotiation"
    refused = client.post("/partenariats/partenariat-a/statut/", {"to_status": "terminated"})
    assert refused.status_code == 200
    assert "to_status" in refused.context["form"].errors
    assert StatusTransition.objects.count() == 1


def test_party_removal_asks_for_confirmation(client_for: Any, world: World) -> None:
    from tests.factories import AssociationFactory

    association = AssociationFactory()
    client = client_for("coordinator")
    client.post(
        "/partenariats/partenariat-a/parties/ajouter/",
        {"organization": association.pk, "role": "partner"},
    )
    party = world.a.parties.get(organization=association)
    url = f"/partenariats/partenariat-a/parties/{party.pk}/retirer/"
    assert client.get(url).status_code == 200
    assert world.a.parties.filter(pk=party.pk).exists()
    client.post(url)
    assert not world.a.parties.filter(pk=party.pk).exists()


def test_history_tab_lists_changes(client_for: Any, world: World) -> None:
    client = client_for("coordinator")
    client.post(
        "/partenariats/partenariat-a/modifier/",
        {"title": "Partenariat A renommé", "slug": "partenariat-a", "kind": "management",
         "category": "facility", "sector": "sports_facility", "complexity": "large",
         "lead_authority": world.a.lead_authority_id},
    )  # fmt: skip
    body = client.get("/partenariats/partenariat-a/historique/").content.decode()
    assert "Partenariat A renommé" in body
    assert "coordinator" in body


def test_public_portal_shows_only_published(world: World) -> None:
    client = Client()
    assert client.get("/portail/partenariat-a/").status_code == 404
    world.a.status = "active"
    world.a.save()
    assert client.get("/portail/partenariat-a/").status_code == 200
    titles = [p.title for p in client.get("/portail/").context["page_obj"]]
    assert titles == ["Partenariat A"]


def test_the_portal_list_filters_by_status_among_the_published(world: World) -> None:
    """The status filter offers only the published statuses; a draft stays out even asked
    for by name; an unknown value is ignored."""
    world.a.status = "active"
    world.a.save()
    world.b.status = "suspended"
    world.b.save()
    client = Client()

    def titles(query: str) -> list[str]:
        return [p.title for p in client.get(f"/portail/{query}").context["page_obj"]]

    assert titles("?status=suspended") == ["Partenariat B"]
    assert titles("?status=active") == ["Partenariat A"]
    assert titles("?status=draft") == titles("?status=nope") == ["Partenariat A", "Partenariat B"]
    offered = [value for value, _label in client.get("/portail/").context["statuses"]]
    assert "draft" not in offered and "active" in offered


def test_home_is_the_dashboard_once_signed_in(client_for: Any) -> None:
    from django.urls import reverse

    assert reverse("partnerships:home") == "/"
    anonymous = client_for(None).get("/").content.decode()
    assert "Se connecter" in anonymous and "Bonjour" not in anonymous
    response = client_for("officer").get("/")
    assert response.context["dashboard"].total == 1
    assert "Partenariat A" in response.content.decode()


def test_a_refused_party_shows_on_the_overview_and_adds_nothing(
    client_for: Any, world: World
) -> None:
    from tests.factories import AssociationFactory

    association = AssociationFactory()
    client = client_for("coordinator")
    url = "/partenariats/partenariat-a/parties/ajouter/"
    data = {"organization": association.pk, "role": "partner"}
    assert client.post(url, data).status_code == 302
    again = client.post(url, data)
    assert again.status_code == 422
    assert "déjà partie" in again.context["party_form"].errors["organization"][0]
    assert "déjà partie" in again.content.decode()
    assert world.a.parties.filter(organization=association).count() == 1


def test_the_lead_party_is_not_removed_and_the_page_says_why(client_for: Any, world: World) -> None:
    lead = world.a.parties.get(role="lead")
    url = f"/partenariats/partenariat-a/parties/{lead.pk}/retirer/"
    response = client_for("coordinator").post(url)
    assert response.status_code == 200
    assert "Le chef de file ne peut pas être retiré des parties." in response.content.decode()
    assert world.a.parties.filter(pk=lead.pk).exists()


def test_granting_a_role_through_the_access_page(client_for: Any, world: World) -> None:
    client = client_for("officer")
    response = client.post(
        "/partenariats/partenariat-a/acces/", {"username": "outsider", "role": "auditor"}
    )
    assert response.status_code == 302
    assert world.a.user_roles.filter(user=world.outsider, role="auditor").exists()
    unknown = client.post(
        "/partenariats/partenariat-a/acces/", {"username": "nobody", "role": "auditor"}
    )
    assert unknown.status_code == 200 and "username" in unknown.context["form"].errors
    grant = world.a.user_roles.get(user=world.outsider)
    revoke = f"/partenariats/partenariat-a/acces/{grant.pk}/retirer/"
    assert "outsider" in client.get(revoke).content.decode()
    assert client.post(revoke).status_code == 302
    assert not world.a.user_roles.filter(user=world.outsider).exists()
