"""API /api/governance: board, seats, mandates, balance, Popolo export; problem JSON."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from sharaka.accounts.models import ApiToken
from sharaka.governance import services
from sharaka.governance.models import Mandate, Seat
from tests.factories import PersonFactory
from tests.governance.conftest import START

BASE = "/api/governance/partnerships"


def api(user=None) -> Client:
    if user is None:
        return Client()
    _token, raw = ApiToken.issue(user=user, name="tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _problem(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    if code:
        assert body["code"] == code
    return body


def test_get_board(bw, woman):
    mandate = services.mandate_create(
        by=bw.w.admin, board=bw.board, seat=bw.seat(bw.commune), person=woman, start_date=START
    )
    services.officer_appoint(
        by=bw.w.admin, board=bw.board, mandate=mandate, role="chair", start_date=START
    )
    response = api(bw.w.auditor).get(f"{BASE}/{bw.w.a.slug}/board")
    assert response.status_code == 200
    body = response.json()
    assert body["partnership"] == bw.w.a.slug
    assert [c["code"] for c in body["colleges"]][:2] == ["local_public", "other_public"]
    assert len(body["seats"]) == 6
    assert {s["college"] for s in body["seats"]} == {
        "local_public",
        "associative",
        "private",
        "experts",
    }
    assert body["mandates"][0]["person"] == "Aïcha Femme"
    assert body["officers"][0]["role"] == "chair"


@pytest.mark.parametrize(("role", "status"), [("other_officer", 404), ("outsider", 404)])
def test_get_board_hidden(bw, role, status):
    _problem(api(bw.w.user(role)).get(f"{BASE}/{bw.w.a.slug}/board"), status, "not_found")


def test_get_board_anonymous_and_missing(bw, world):
    _problem(api().get(f"{BASE}/{bw.w.a.slug}/board"), 401)
    # B has no board yet: its own officer gets a clear 404
    body = _problem(api(world.other_officer).get(f"{BASE}/{world.b.slug}/board"), 404)
    assert "pas encore de conseil" in body["detail"]


def test_create_and_patch_seat(bw):
    client = api(bw.w.coordinator)
    response = client.post(
        f"{BASE}/{bw.w.a.slug}/board/seats",
        {"college": "associative", "organization_id": bw.association.pk, "voting": True},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    seat_id = response.json()["id"]
    response = client.patch(
        f"{BASE}/{bw.w.a.slug}/board/seats/{seat_id}",
        {"label": "Siège jeunesse", "voting": False},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["label"] == "Siège jeunesse" and response.json()["voting"] is False


def test_seat_problems(bw):
    client = api(bw.w.admin)
    url = f"{BASE}/{bw.w.a.slug}/board/seats"
    body = _problem(
        client.post(url, {"voting": True}, content_type="application/json"), 422, "invalid"
    )
    assert any(e["field"] == "college" for e in body["errors"])
    body = _problem(
        client.post(
            url,
            {
                "college": "associative",
                "organization_id": bw.association.pk,
                "voting": True,
                "expertise": "legal",
            },
            content_type="application/json",
        ),
        409,
        "seat_advisory_vote",
    )
    assert body["errors"][0]["field"] == "voting"
    _problem(
        client.post(
            url,
            {"college": "nope", "organization_id": bw.association.pk},
            content_type="application/json",
        ),
        422,
    )
    _problem(client.patch(f"{url}/999999", {"label": "x"}, content_type="application/json"), 404)
    _problem(
        api(bw.w.board_member).post(
            url,
            {"college": "associative", "organization_id": bw.association.pk},
            content_type="application/json",
        ),
        403,
        "access_denied",
    )


def test_mandates(bw, woman, man):
    client = api(bw.w.officer)
    url = f"{BASE}/{bw.w.a.slug}/board/mandates"
    seat = bw.seat(bw.commune)
    response = client.post(
        url,
        {"seat_id": seat.pk, "person_id": woman.pk, "start_date": "2025-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    mandate_id = response.json()["id"]
    assert response.json()["on_behalf_of_id"] == bw.commune.pk
    body = _problem(
        client.post(
            url,
            {"seat_id": seat.pk, "person_id": man.pk, "start_date": "2025-05-01"},
            content_type="application/json",
        ),
        409,
        "mandate_overlap",
    )
    assert body["errors"][0]["field"] == "start_date"
    _problem(
        client.post(
            url,
            {"seat_id": seat.pk, "person_id": man.pk, "start_date": "demain"},
            content_type="application/json",
        ),
        422,
        "invalid",
    )
    end = f"{url}/{mandate_id}/end"
    response = client.post(
        end, {"end_date": "2025-06-30", "reason": "Démission"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["end_date"] == "2025-06-30"
    _problem(
        client.post(end, {"end_date": "2025-07-30"}, content_type="application/json"),
        409,
        "mandate_already_ended",
    )
    assert Mandate.objects.filter(pk=mandate_id).exists()


def test_mandate_on_a_seat_of_b_is_not_found(bw, woman):
    services.board_create(by=bw.w.admin, partnership=bw.w.b, target={}, established_on=START)
    other_seat = services.seat_create(
        by=bw.w.admin,
        board=bw.w.b.board,
        college=bw.w.b.board.colleges.get(code="local_public"),
        organization=bw.w.b.lead_authority,
        voting=True,
        established_on=START,
    )
    _problem(
        api(bw.w.officer).post(
            f"{BASE}/{bw.w.a.slug}/board/mandates",
            {"seat_id": other_seat.pk, "person_id": woman.pk, "start_date": "2025-01-01"},
            content_type="application/json",
        ),
        404,
    )
    assert not Mandate.objects.filter(seat=other_seat).exists()


def test_balance_report(bw):
    for index, seat in enumerate(Seat.objects.filter(board=bw.board, voting=True)):
        services.mandate_create(
            by=bw.w.admin,
            board=bw.board,
            seat=seat,
            person=PersonFactory(gender="m" if index else "f"),
            start_date=START,
        )
    body = api(bw.w.treasurer).get(f"{BASE}/{bw.w.a.slug}/board/balance").json()
    assert set(body) >= {
        "ok",
        "violations",
        "warnings",
        "seat_shares",
        "women_share",
        "power",
        "organizations",
        "colleges",
        "rules_source",
    }
    assert body["ok"] is False
    assert [v["code"] for v in body["violations"]] == ["women_share_below_target"]
    assert body["women_share"] == pytest.approx(0.2)
    commune = str(bw.commune.pk)
    assert body["seat_shares"][commune] == pytest.approx(0.4)
    assert body["organizations"][commune]["name"] == "Commune A"
    assert set(body["power"]["players"]) == {commune, str(bw.association.pk), str(bw.company.pk)}
    assert sum(body["power"]["shapley_shubik"].values()) == pytest.approx(1)
    assert body["colleges"]["experts"]["advisory_seats"] == 1
    past = api(bw.w.treasurer).get(f"{BASE}/{bw.w.a.slug}/board/balance?date=2024-06-01").json()
    assert past["violations"][0]["code"] == "no_voting_member"


def test_popolo_export(bw, woman, man):
    mandate = services.mandate_create(
        by=bw.w.admin, board=bw.board, seat=bw.seat(bw.association), person=woman, start_date=START
    )
    services.mandate_end(by=bw.w.admin, board=bw.board, mandate=mandate, end_date=date(2025, 6, 30))
    services.mandate_create(
        by=bw.w.admin, board=bw.board, seat=bw.seat(None), person=man, start_date=START
    )
    body = api(bw.w.board_member).get(f"{BASE}/{bw.w.a.slug}/board/popolo").json()
    assert set(body) == {"organizations", "persons", "posts", "memberships"}
    board_org = body["organizations"][0]
    assert board_org["classification"] == "board"
    assert {p["id"] for p in body["persons"]} == {f"person-{woman.pk}", f"person-{man.pk}"}
    assert {p["gender"] for p in body["persons"]} == {"female", "male"}
    assert len(body["posts"]) == 6 and all(
        p["organization_id"] == board_org["id"] for p in body["posts"]
    )
    by_person = {m["person_id"]: m for m in body["memberships"]}
    hers = by_person[f"person-{woman.pk}"]
    assert hers["on_behalf_of_id"] == f"organization-{bw.association.pk}"
    assert hers["post_id"] == f"seat-{bw.seat(bw.association).pk}"
    assert (hers["start_date"], hers["end_date"]) == ("2025-01-01", "2025-06-30")
    assert by_person[f"person-{man.pk}"]["on_behalf_of_id"] is None  # independent expert
    org_ids = {o["id"] for o in body["organizations"]}
    assert hers["on_behalf_of_id"] in org_ids
