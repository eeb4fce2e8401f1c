from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from tests.conftest import World, sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_sign_in_and_out(world: World) -> None:
    client = Client()
    response = client.post("/comptes/connexion/", {"username": "officer", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/partenariats/").status_code == 200
    client.post("/comptes/deconnexion/")
    assert client.get("/partenariats/").status_code == 302


def test_wrong_password_shows_an_error(world: World) -> None:
    response = Client().post("/comptes/connexion/", {"username": "officer", "password": "x"})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_passwords_are_hashed_with_argon2(world: World, settings: Any) -> None:

    from sharaka.config import settings as project_settings

    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    world.officer.set_password("Another-long-pass-42")
    assert world.officer.password.startswith("argon2")


def test_password_change(world: World) -> None:
    client = Client()
    sign_in(client, world.officer)
    response = client.post(
        "/comptes/mot-de-passe/",
        {"old_password": PASSWORD, "new_password1": "Another-long-pass-42",
         "new_password2": "Another-long-pass-42"},
    )  # fmt: skip
    assert response.status_code == 302
    world.officer.refresh_from_db()
    assert world.officer.check_password("Another-long-pass-42")


def test_password_reset_sends_a_mail(world: World) -> None:
    world.officer.email = "officer@example.org"
    world.officer.save()
    response = Client().post("/comptes/mot-de-passe/oubli/", {"email": "officer@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/comptes/mot-de-passe/nouveau/" in mail.outbox[0].body


def test_login_is_throttled(world: World, settings: Any) -> None:
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    client = Client()
    for _ in range(3):
        client.post("/comptes/connexion/", {"username": "officer", "password": "wrong"})
    response = client.post("/comptes/connexion/", {"username": "officer", "password": PASSWORD})
    assert response.status_code == 429
    assert "bloqué" in response.content.decode()


def test_profile_issues_and_revokes_api_tokens(world: World) -> None:
    client = Client()
    sign_in(client, world.coordinator)
    response = client.post("/comptes/profil/", {"name": "tableur", "scope": "read", "days": 90})
    raw = response.context["new_key"]
    assert raw.startswith("shk_")
    api = Client(headers={"Authorization": f"Bearer {raw}"})
    assert api.get("/api/partnerships").status_code == 200
    token = world.coordinator.api_tokens.get()
    client.post(f"/comptes/profil/jetons/{token.pk}/revoquer/")
    assert api.get("/api/partnerships").status_code == 401


def _fail(username: str, ip: str) -> Any:
    return Client(REMOTE_ADDR=ip).post(
        "/comptes/connexion/", {"username": username, "password": "wrong"}
    )


def test_failures_from_several_addresses_lock_the_account(world: World, settings: Any) -> None:
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    for n in range(3):
        _fail("officer", f"198.51.100.{n + 1}")
    elsewhere = Client(REMOTE_ADDR="203.0.113.7")
    response = elsewhere.post("/comptes/connexion/", {"username": "officer", "password": PASSWORD})
    assert response.status_code == 429
    assert "bloqué" in response.content.decode()
    # another account from that address is not concerned
    other = elsewhere.post("/comptes/connexion/", {"username": "auditor", "password": PASSWORD})
    assert other.status_code == 302


def test_failures_on_several_accounts_lock_the_address(world: World, settings: Any) -> None:
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    for username in ("officer", "auditor", "treasurer"):
        _fail(username, "192.0.2.66")
    response = Client(REMOTE_ADDR="192.0.2.66").post(
        "/comptes/connexion/", {"username": "outsider", "password": PASSWORD}
    )
    assert response.status_code == 429
    fine = Client(REMOTE_ADDR="192.0.2.67").post(
        "/comptes/connexion/", {"username": "outsider", "password": PASSWORD}
    )
    assert fine.status_code == 302
