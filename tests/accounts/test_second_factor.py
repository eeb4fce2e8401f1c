"""Second factor (TOTP) for administrators and treasurers: enforcement, set-up, checking."""

from __future__ import annotations

import time
from html import unescape
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from sharaka.accounts.models import ApiToken
from sharaka.core.access import second_factor_required
from tests.conftest import World, sign_in

pytestmark = pytest.mark.django_db

SETUP = "/comptes/double-authentification/configurer/"
CHECK = "/comptes/double-authentification/"


def code(device: TOTPDevice, offset_steps: int = 0) -> str:
    """The code an authenticator app shows now (or ``offset_steps`` periods later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset_steps * device.step
    return f"{totp.token():06d}"


def password_only(user: Any) -> Client:
    """Signed in with the password only: no code confirmed yet."""
    client = Client()
    client.force_login(user)
    return client


def confirmed_device(user: Any) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="téléphone", confirmed=True)


# ----------------------------------------------------------------------------- who


@pytest.mark.parametrize(
    ("role", "required"),
    [
        ("admin", True),
        ("treasurer", True),
        ("officer", False),
        ("other_officer", False),
        ("coordinator", False),
        ("board_member", False),
        ("auditor", False),
        ("outsider", False),
    ],
)
def test_who_needs_a_second_factor(world: World, role: str, required: bool) -> None:
    assert second_factor_required(world.user(role)) is required
    response = password_only(world.user(role)).get("/partenariats/")
    if required:
        assert response.status_code == 302
        assert response["Location"].startswith(SETUP + "?next=%2Fpartenariats%2F")
    else:
        assert response.status_code == 200


def test_a_confirmed_authenticator_is_asked_for_its_code(world: World) -> None:
    confirmed_device(world.treasurer)
    client = password_only(world.treasurer)
    response = client.get("/partenariats/partenariat-a/")
    assert response.status_code == 302
    assert response["Location"] == CHECK + "?next=%2Fpartenariats%2Fpartenariat-a%2F"
    # the setup page cannot be used to replace it without its code
    response = client.get(SETUP)
    assert response.status_code == 302 and response["Location"].startswith(CHECK)


def test_sign_out_language_and_api_stay_open(world: World) -> None:
    client = password_only(world.admin)
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    assert client.post("/comptes/deconnexion/").status_code == 302
    assert client.get("/partenariats/").status_code == 302  # signed out: to the sign-in page
    _token, key = ApiToken.issue(user=world.admin, name="script")
    response = Client().get("/api/partnerships", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200


def test_htmx_requests_are_redirected_by_header(world: World) -> None:
    response = password_only(world.admin).get("/partenariats/", HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(SETUP)


# ------------------------------------------------------------------------- checking


def test_the_right_code_opens_the_session(world: World) -> None:
    device = confirmed_device(world.admin)
    client = password_only(world.admin)
    response = client.post(CHECK, {"token": code(device), "next": "/partenariats/"})
    assert response.status_code == 302 and response["Location"] == "/partenariats/"
    assert client.get("/partenariats/").status_code == 200


def test_a_wrong_code_is_refused_and_slows_the_next_try(world: World) -> None:
    device = confirmed_device(world.admin)
    client = password_only(world.admin)
    response = client.post(CHECK, {"token": code(device, offset_steps=10)})
    assert response.status_code == 200
    assert "Code incorrect ou expiré" in response.content.decode()
    assert client.get("/partenariats/").status_code == 302  # still not through
    # right away, even the right code waits (1 s after one failure)
    response = client.post(CHECK, {"token": code(device)})
    assert "Trop d'essais" in unescape(response.content.decode())
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


def test_a_code_cannot_be_used_twice(world: World) -> None:
    device = confirmed_device(world.admin)
    current = code(device)
    assert password_only(world.admin).post(CHECK, {"token": current}).status_code == 302
    replay = password_only(world.admin).post(CHECK, {"token": current})
    assert replay.status_code == 200 and replay.context["form"].errors["token"]


@pytest.mark.parametrize("token", ["", "12345", "abcdef", "1234567"])
def test_malformed_codes_name_the_field(world: World, token: str) -> None:
    confirmed_device(world.admin)
    response = password_only(world.admin).post(CHECK, {"token": token})
    assert response.status_code == 200
    assert response.context["form"].errors["token"]


def test_next_must_stay_on_the_site(world: World) -> None:
    device = confirmed_device(world.admin)
    client = password_only(world.admin)
    response = client.post(CHECK, {"token": code(device), "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_checking_without_an_authenticator_goes_to_setup(world: World) -> None:
    response = password_only(world.admin).get(CHECK)
    assert response.status_code == 302 and response["Location"].startswith(SETUP)


# -------------------------------------------------------------------------- set-up


def test_setup_shows_a_key_and_a_qr_code_then_confirms_it(world: World) -> None:
    client = password_only(world.treasurer)
    page = client.get(SETUP + "?next=/comptes/profil/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "<svg" in body and "<script>" not in body  # the QR code is inline SVG, no script
    device = TOTPDevice.objects.get(user=world.treasurer, confirmed=False)
    assert page.context["key"].replace(" ", "") in device.config_url
    # a wrong first code confirms nothing
    wrong = client.post(SETUP, {"token": code(device, offset_steps=10), "next": "/comptes/profil/"})
    assert wrong.status_code == 200 and not TOTPDevice.objects.filter(confirmed=True).exists()
    device.throttle_reset()
    right = client.post(SETUP, {"token": code(device), "next": "/comptes/profil/"})
    assert right.status_code == 302 and right["Location"] == "/comptes/profil/"
    device.refresh_from_db()
    assert device.confirmed
    profile = client.get("/comptes/profil/").content.decode()
    assert "Activée" in profile


def test_replacing_an_authenticator_removes_the_old_one(world: World) -> None:
    old = confirmed_device(world.admin)
    client = sign_in(Client(), world.admin)
    client.get(SETUP)
    new = TOTPDevice.objects.get(user=world.admin, confirmed=False)
    assert client.post(SETUP, {"token": code(new)}).status_code == 302
    assert list(TOTPDevice.objects.filter(user=world.admin)) == [new]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()


def test_setup_is_not_offered_to_roles_that_do_not_need_it(world: World) -> None:
    response = sign_in(Client(), world.officer).get(SETUP)
    assert response.status_code == 302 and response["Location"] == "/comptes/profil/"
    assert not TOTPDevice.objects.exists()


def test_anonymous_is_sent_to_sign_in(world: World) -> None:
    for url in (CHECK, SETUP):
        response = Client().get(url)
        assert response.status_code == 302 and "/comptes/connexion/" in response["Location"]


# ---------------------------------------------------------------------------- demo


def test_demo_code_only_for_demo_authenticators(world: World) -> None:
    from sharaka.demo import DEMO_TOTP_DEVICE

    device = TOTPDevice.objects.create(user=world.admin, name=DEMO_TOTP_DEVICE, confirmed=True)
    out = StringIO()
    call_command("demo_code", "admin", stdout=out)
    assert out.getvalue().split()[0] in {code(device), code(device, offset_steps=1)}
    confirmed_device(world.treasurer)
    with pytest.raises(CommandError, match="treasurer"):
        call_command("demo_code", "treasurer")
