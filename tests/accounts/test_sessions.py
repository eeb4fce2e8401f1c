"""Sessions end after an idle timeout and after an absolute lifetime (time is moved)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from sharaka.config import settings as project
from tests.conftest import World, sign_in

pytestmark = pytest.mark.django_db

PAGE = "/partenariats/"


class Clock:
    """``timezone.now`` under the test's control."""

    def __init__(self, monkeypatch: Any) -> None:
        self.now: datetime = timezone.now()
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch: Any) -> Clock:
    return Clock(monkeypatch)


@pytest.fixture
def limits(settings: Any) -> None:
    settings.SHARAKA_SESSION_IDLE_MINUTES = 30
    settings.SHARAKA_SESSION_MAX_HOURS = 12


def _signed_in(client: Client) -> bool:
    return client.get("/comptes/profil/").status_code == 200


@pytest.mark.usefixtures("limits")
def test_a_session_ends_after_the_idle_timeout(world: World, clock: Clock) -> None:
    client = sign_in(Client(), world.officer)
    assert client.get(PAGE).status_code == 200
    clock.advance(minutes=29)
    assert client.get(PAGE).status_code == 200
    clock.advance(minutes=30, seconds=1)
    response = client.get(PAGE, follow=True)
    assert response.redirect_chain[0] == (f"/comptes/connexion/?next={PAGE.replace('/', '%2F')}",
                                          302)  # fmt: skip
    assert "30 minutes sans activité" in response.content.decode()
    clock.advance(seconds=1)
    assert not _signed_in(client)


@pytest.mark.usefixtures("limits")
def test_activity_keeps_a_session_open_until_its_lifetime(world: World, clock: Clock) -> None:
    client = sign_in(Client(), world.officer)
    for _ in range(int(12 * 60 / 20) - 1):  # a request every 20 minutes, for 11 h 40
        clock.advance(minutes=20)
        assert client.get(PAGE).status_code == 200
    clock.advance(minutes=20)  # 12 h after sign-in
    response = client.get(PAGE, follow=True)
    assert response.redirect_chain[0][0].startswith("/comptes/connexion/")
    assert "au plus 12 heures" in response.content.decode()
    assert not _signed_in(client)


def test_the_limits_come_from_settings(world: World, clock: Clock, settings: Any) -> None:
    settings.SHARAKA_SESSION_IDLE_MINUTES = 5
    settings.SHARAKA_SESSION_MAX_HOURS = 1
    client = sign_in(Client(), world.officer)
    clock.advance(minutes=4)
    assert _signed_in(client)
    clock.advance(minutes=5)
    assert not _signed_in(client)
    client = sign_in(Client(), world.officer)
    for _ in range(15):
        clock.advance(minutes=4)
        _signed_in(client)
    assert not _signed_in(client)  # 1 h after sign-in


@pytest.mark.usefixtures("limits")
def test_an_htmx_request_is_sent_to_sign_in_without_a_fragment_to_land_on(
    world: World, clock: Clock
) -> None:
    client = sign_in(Client(), world.officer)
    clock.advance(hours=1)
    response = client.get(PAGE, headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == "/comptes/connexion/"


@pytest.mark.usefixtures("limits")
def test_a_new_sign_in_starts_the_clocks_again(world: World, clock: Clock) -> None:
    client = sign_in(Client(), world.officer)
    clock.advance(hours=1)
    assert not _signed_in(client)
    response = client.post(
        "/comptes/connexion/", {"username": "officer", "password": "x"}
    )  # wrong password: still signed out
    assert response.status_code == 200
    sign_in(client, world.officer)
    assert _signed_in(client)


def test_the_session_cookie_does_not_outlive_the_lifetime() -> None:
    assert project.SESSION_COOKIE_AGE == project.SHARAKA_SESSION_MAX_HOURS * 3600
    assert project.SHARAKA_SESSION_IDLE_MINUTES == 30
    assert project.SHARAKA_SESSION_MAX_HOURS == 12
