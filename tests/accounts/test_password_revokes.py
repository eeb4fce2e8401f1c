"""A password change or reset revokes the user's API tokens and ends their other sessions."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.management import call_command
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from sharaka.accounts import services
from sharaka.accounts.models import ApiToken
from tests.conftest import World, sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Another-long-pass-42"


def _tokens(user: Any) -> list[tuple[ApiToken, str]]:
    return [
        services.api_token_issue(user=user, name="lecture", scope="read"),
        services.api_token_issue(user=user, name="script", scope="write"),
    ]


def _works(raw: str) -> bool:
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    return client.get("/api/partnerships").status_code == 200


def _signed_in(client: Client) -> bool:
    return client.get("/comptes/profil/").status_code == 200


def test_changing_ones_password_revokes_ones_tokens_and_other_sessions(world: World) -> None:
    mine = _tokens(world.officer)
    theirs = _tokens(world.coordinator)
    here, elsewhere = sign_in(Client(), world.officer), sign_in(Client(), world.officer)
    response = here.post(
        "/comptes/mot-de-passe/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert not any(_works(raw) for _token, raw in mine)
    assert all(_works(raw) for _token, raw in theirs)
    assert _signed_in(here)  # the session that changed it goes on (update_session_auth_hash)
    assert not _signed_in(elsewhere)


def test_a_refused_password_change_revokes_nothing(world: World) -> None:
    mine = _tokens(world.officer)
    client = sign_in(Client(), world.officer)
    response = client.post(
        "/comptes/mot-de-passe/",
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert all(_works(raw) for _token, raw in mine)


def test_a_password_reset_revokes_the_tokens_and_ends_every_session(world: World) -> None:
    mine = _tokens(world.officer)
    session = sign_in(Client(), world.officer)
    uid = urlsafe_base64_encode(force_bytes(world.officer.pk))
    token = default_token_generator.make_token(world.officer)
    browser = Client()
    form_url = browser.get(f"/comptes/mot-de-passe/nouveau/{uid}/{token}/")["Location"]
    response = browser.post(
        form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    world.officer.refresh_from_db()
    assert world.officer.check_password(NEW_PASSWORD)
    assert not any(_works(raw) for _token, raw in mine)
    assert not _signed_in(session)


def test_a_password_set_by_an_administrator_or_a_command_revokes_the_tokens(
    world: World, monkeypatch: Any
) -> None:
    mine = _tokens(world.officer)
    world.officer.set_password(NEW_PASSWORD)
    world.officer.save()
    assert not any(_works(raw) for _token, raw in mine)
    again = _tokens(world.officer)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "Yet-another-pass-43")
    call_command("changepassword", "officer", stdout=None)
    assert not any(_works(raw) for _token, raw in again)


def test_upgrading_the_hash_of_an_unchanged_password_revokes_nothing(
    world: World, settings: Any
) -> None:
    mine = _tokens(world.officer)  # the password is stored with MD5 (tests/conftest.py)
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.ScryptPasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    response = Client().post("/comptes/connexion/", {"username": "officer", "password": PASSWORD})
    assert response.status_code == 302
    world.officer.refresh_from_db()
    assert world.officer.password.startswith("scrypt")  # upgraded at sign-in
    assert all(_works(raw) for _token, raw in mine)
