"""Information request pages and API: access per role on every route, the requester's
personal data shown only to the information officers, the to-do list (late requests
flagged in words), the statistics, each step's form with its field-level refusals, and the
public form with its abuse protection (rate limit, honeypot, size limits)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sharaka.accounts.models import ApiToken
from sharaka.transparency import services
from sharaka.transparency.models import InformationRequest
from tests.conftest import ROLES, World
from tests.transparency.conftest import record

pytestmark = pytest.mark.django_db

READERS = {"admin", "officer", "coordinator", "board_member", "treasurer", "auditor"}
MANAGERS = {"admin", "officer", "coordinator"}
SECRETS = ("Rachida Secret", "12 rue des Secrets", "ZZ998877", "rachida@example.org")


@pytest.fixture
def item(world: World) -> InformationRequest:
    return record(world, timezone.localdate() - timedelta(days=40))


def _urls(w: World, item: InformationRequest) -> tuple[list[str], list[str]]:
    slug, pk = w.a.slug, item.pk
    read = [
        reverse("transparency:requests", args=[slug]),
        reverse("transparency:requests", args=[slug]) + "?etat=toutes",
        reverse("transparency:request", args=[slug, pk]),
    ]
    change = [
        reverse("transparency:request_record", args=[slug]),
        reverse("transparency:extend", args=[slug, pk]),
        reverse("transparency:answer", args=[slug, pk]),
        reverse("transparency:complaint", args=[slug, pk]),
        reverse("transparency:complaint_answer", args=[slug, pk]),
        reverse("transparency:later_step", args=[slug, pk]),
    ]
    return read, change


@pytest.mark.parametrize("role", [*ROLES, None])
def test_access_per_role_on_every_route(
    world: World, item: InformationRequest, client_for: Any, role: str | None
) -> None:
    read, change = _urls(world, item)
    client = client_for(role)
    for url in read + change:
        response = client.get(url)
        if role is None:
            assert response.status_code == 302 and "/comptes/connexion/" in response["Location"]
        elif role not in READERS:
            assert response.status_code == 404, (role, url)
        elif url in change and role not in MANAGERS:
            assert response.status_code == 403, (role, url)
        else:
            assert response.status_code == 200, (role, url, response.status_code)


def test_a_request_of_b_is_not_found_under_a(world: World, client_for: Any) -> None:
    other = services.request_record(
        by=world.other_officer, partnership=world.b,
        fields={"received_on": date(2026, 11, 2), "requester_name": "X",
                "requester_address": "Y", "requester_id_number": "AB1234",
                "information_sought": "Z", "preferred_format": "paper"},
    )  # fmt: skip
    url = reverse("transparency:request", args=[world.a.slug, other.pk])
    assert client_for("admin").get(url).status_code == 404
    todo = client_for("officer").get(reverse("transparency:todo")).content.decode()
    assert "Partenariat B" not in todo


@pytest.mark.parametrize("role", sorted(READERS))
def test_personal_data_only_for_the_information_officers(
    world: World, item: InformationRequest, client_for: Any, role: str
) -> None:
    client = client_for(role)
    pages = [
        reverse("transparency:request", args=[world.a.slug, item.pk]),
        reverse("transparency:requests", args=[world.a.slug]),
        reverse("transparency:todo"),
    ]
    detail = client.get(pages[0]).content.decode()
    assert "Le budget du complexe sportif." in detail
    if role in MANAGERS:
        assert all(secret in detail for secret in SECRETS)
    for url in pages[1 if role in MANAGERS else 0 :]:
        html = client.get(url).content.decode()
        assert not any(secret in html for secret in SECRETS), (role, url)


@pytest.mark.parametrize("role", ROLES)
def test_api_gives_the_requester_only_to_the_information_officers(
    world: World, item: InformationRequest, role: str
) -> None:
    _token, raw = ApiToken.issue(user=world.user(role), name="tests")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    base = f"/api/transparency/partnerships/{world.a.slug}/requests"
    for url in (base, f"{base}/{item.pk}"):
        response = client.get(url)
        if role not in READERS:
            assert response.status_code == 404, (role, url)
            continue
        assert response.status_code == 200
        body = response.json()
        row = body[0] if isinstance(body, list) else body
        assert row["number"] == item.number
        if role in MANAGERS:
            assert row["requester"]["id_number"] == "ZZ998877"
        else:
            assert row["requester"] is None
            assert not any(secret in response.content.decode() for secret in SECRETS)


def test_todo_flags_late_requests_in_words_and_shows_statistics(
    world: World, item: InformationRequest, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    record(world, timezone.localdate())
    url = reverse("transparency:requests", args=[world.a.slug])
    client = client_for("officer")
    client.get(url)
    with django_assert_max_num_queries(14) as first:
        html = client.get(url).content.decode()
    count = len(first.captured_queries)
    assert "En retard" in html and 'class="late"' in html
    assert "Statistiques par année" in html and "Loi 31-13, art. 16" in html
    assert html.index(item.number) < html.index("2026-0002")  # by due date
    for days in range(5):
        record(world, timezone.localdate() - timedelta(days=days))
    with django_assert_max_num_queries(count):
        client.get(url)
    with django_assert_max_num_queries(count):
        client.get(reverse("transparency:todo"))


def test_answer_form_refuses_a_refusal_without_ground_on_its_field(
    world: World, item: InformationRequest, client_for: Any
) -> None:
    url = reverse("transparency:answer", args=[world.a.slug, item.pk])
    response = client_for("coordinator").post(url, {
        "outcome": "refused", "answered_on": timezone.localdate().isoformat(),
        "remedy": "Art. 19",
    })  # fmt: skip
    assert response.status_code == 200
    assert response.context["form"].errors["ground"]
    item.refresh_from_db()
    assert item.status == "received" and item.events.count() == 1


def test_every_step_through_the_pages(world: World, client_for: Any) -> None:
    today = timezone.localdate()
    client = client_for("officer")
    slug = world.a.slug
    response = client.post(reverse("transparency:request_record", args=[slug]), {
        "received_on": (today - timedelta(days=10)).isoformat(), "requester_name": "Ali",
        "requester_address": "Rue 1", "requester_id_number": "ab12345",
        "information_sought": "Les comptes", "preferred_format": "paper",
    })  # fmt: skip
    item = InformationRequest.objects.get()
    assert response.status_code == 302 and item.requester_id_number == "AB12345"
    step = lambda name, data: client.post(  # noqa: E731
        reverse(f"transparency:{name}", args=[slug, item.pk]), data
    )
    assert step("extend", {"extended_on": (today - timedelta(days=1)).isoformat(),
                           "extension_notice": "Archives"}).status_code == 302  # fmt: skip
    assert step("answer", {"outcome": "partly_granted", "answered_on": today.isoformat(),
                           "exempted_parts": "Noms", "ground": "private_life",
                           "remedy": "Art. 19"}).status_code == 302  # fmt: skip
    assert step("complaint", {"complaint_filed_on": today.isoformat(),
                              "complaint": "Je conteste"}).status_code == 302  # fmt: skip
    assert step("complaint_answer", {"complaint_answered_on": today.isoformat(),
                                     "complaint_outcome": "upheld"}).status_code == 302  # fmt: skip
    assert step("later_step", {"kind": "cdai_filed", "on": today.isoformat()}).status_code == 302
    html = client.get(reverse("transparency:request", args=[slug, item.pk])).content.decode()
    for label in ("Demande reçue", "Délai prorogé", "Réponse donnée", "Réclamation au chef",
                  "Réponse à la réclamation", "Commission du droit"):  # fmt: skip
        assert label in html, label
    assert "Vie privée" in html and "Loi 31-13, art. 7" in html


# --- The public form ---------------------------------------------------------------------------


def _public(world: World) -> Any:
    world.a.status = "active"
    world.a.save(update_fields=["status"])
    return reverse("transparency:portal_request", args=[world.a.slug])


PUBLIC = {
    "requester_name": "Samira Public", "requester_address": "Douar Tizi",
    "requester_id_number": "JB445566", "information_sought": "Les tarifs de la piscine.",
    "preferred_format": "electronic",
}  # fmt: skip


def test_a_resident_files_a_request_and_gets_an_acknowledgement(world: World) -> None:
    client = Client()
    url = _public(world)
    assert client.get(url).status_code == 200
    response = client.post(url, PUBLIC)
    assert response.status_code == 302
    item = InformationRequest.objects.get()
    receipt = client.get(response["Location"]).content.decode()
    assert item.number in receipt and "Loi 31-13, art. 16" in receipt
    assert "Samira" not in receipt and "JB445566" not in receipt
    assert item.received_on == timezone.localdate() and item.events.get().by is None
    detail = Client().get(reverse("partnerships:public_detail", args=[world.a.slug]))
    assert url in detail.content.decode()


def test_the_form_is_not_offered_for_an_unpublished_partnership(world: World) -> None:
    world.a.status = "draft"
    world.a.save(update_fields=["status"])
    url = reverse("transparency:portal_request", args=[world.a.slug])
    assert Client().post(url, PUBLIC).status_code == 404
    assert not InformationRequest.objects.exists()


def test_a_guessed_receipt_is_not_found(world: World) -> None:
    _public(world)
    url = reverse("transparency:portal_receipt", args=[world.a.slug, "guess"])
    assert Client().get(url).status_code == 404


def test_the_honeypot_refuses_robots_and_writes_nothing(world: World) -> None:
    response = Client().post(_public(world), {**PUBLIC, "website": "http://spam.example"})
    assert response.status_code == 400
    assert not InformationRequest.objects.exists()


def test_requests_are_rate_limited_per_address(world: World, settings: Any) -> None:
    settings.SHARAKA_REQUESTS_PER_IP = 2
    url = _public(world)
    client = Client(REMOTE_ADDR="203.0.113.7")
    assert [client.post(url, PUBLIC).status_code for _ in range(3)] == [302, 302, 429]
    assert InformationRequest.objects.count() == 2
    other = Client(REMOTE_ADDR="203.0.113.8")
    assert other.post(url, PUBLIC).status_code == 302


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("information_sought", "x" * 4001),
        ("requester_name", "x" * 201),
        ("requester_address", "x" * 301),
        ("requester_id_number", "1"),
        ("requester_id_number", "A" * 21),
        ("requester_name", ""),
    ],
)
def test_size_limits_name_the_field(world: World, field: str, value: str) -> None:
    response = Client().post(_public(world), {**PUBLIC, field: value})
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not InformationRequest.objects.exists()


# --- The information register ----------------------------------------------------------------


@pytest.mark.parametrize("role", [*ROLES, None])
def test_register_access_per_role(world: World, client_for: Any, role: str | None) -> None:
    client = client_for(role)
    read = reverse("transparency:register", args=[world.a.slug])
    change = reverse("transparency:register_add", args=[world.a.slug])
    for url in (read, change):
        response = client.get(url)
        if role is None:
            assert response.status_code == 302
        elif role not in READERS:
            assert response.status_code == 404
        elif url == change and role not in MANAGERS:
            assert response.status_code == 403
        else:
            assert response.status_code == 200


def test_register_add_and_list(
    world: World, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for("coordinator")
    url = reverse("transparency:register_add", args=[world.a.slug])
    entry = {
        "direction": "given", "kind": "complaint", "on": timezone.localdate().isoformat(),
        "channel": "website", "subject": "Horaires", "status": "done",
    }  # fmt: skip
    refused = client.post(url, entry)
    assert refused.status_code == 200 and refused.context["form"].errors["kind"]
    assert client.post(url, {**entry, "kind": "publication"}).status_code == 302
    assert client.post(url, {**entry, "direction": "received", "kind": "suggestion",
                             "subject": "Bancs"}).status_code == 302  # fmt: skip
    listing = reverse("transparency:register", args=[world.a.slug])
    client.get(listing)
    with django_assert_max_num_queries(12) as first:
        html = client.get(listing).content.decode()
    count = len(first.captured_queries)
    assert "Horaires" in html and "Bancs" in html
    assert "Bancs" not in client.get(listing + "?sens=given").content.decode()
    for n in range(5):
        client.post(url, {**entry, "kind": "publication", "subject": f"Avis {n}"})
    with django_assert_max_num_queries(count):
        client.get(listing)


def test_the_public_form_speaks_arabic(world: World) -> None:
    html = Client(HTTP_ACCEPT_LANGUAGE="ar").get(_public(world)).content.decode()
    assert "صف المعلومة أو الوثائق المطلوبة (4000 حرفًا على الأكثر)." in html
    assert "Décrivez" not in html
