"""Password reset is rate-limited per IP address and per account, revealing no account."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

from tests.conftest import World

pytestmark = pytest.mark.django_db

URL = "/comptes/mot-de-passe/oubli/"


@pytest.fixture(autouse=True)
def _fresh_counters(settings: Any) -> Iterator[None]:
    settings.SHARAKA_PASSWORD_RESET_PER_IP = 10
    settings.SHARAKA_PASSWORD_RESET_PER_ACCOUNT = 3
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def officer_email(world: World) -> str:
    world.officer.email = "officer@example.org"
    world.officer.save()
    return "officer@example.org"


def _ask(email: str, ip: str = "192.0.2.1") -> Any:
    return Client(REMOTE_ADDR=ip).post(URL, {"email": email})


def test_an_account_gets_at_most_n_mails_an_hour_and_the_page_never_tells(
    officer_email: str,
) -> None:
    for n in range(3):
        response = _ask(officer_email, ip=f"192.0.2.{n + 1}")
        assert response.status_code == 302
    assert len(mail.outbox) == 3
    for n in range(3):  # from other addresses still: the account is what is protected here
        response = _ask(officer_email.upper(), ip=f"198.51.100.{n + 1}")
        assert response.status_code == 302
        assert response["Location"] == "/comptes/mot-de-passe/oubli/envoye/"
    assert len(mail.outbox) == 3


def test_an_address_may_ask_n_times_an_hour_then_gets_a_429(
    officer_email: str, settings: Any
) -> None:
    settings.SHARAKA_PASSWORD_RESET_PER_ACCOUNT = 100
    for _ in range(10):
        assert _ask(officer_email).status_code == 302
    sent = len(mail.outbox)
    response = _ask(officer_email)
    assert response.status_code == 429
    assert "réessayez dans une heure" in response.content.decode()
    assert len(mail.outbox) == sent
    assert _ask(officer_email, ip="203.0.113.9").status_code == 302  # another address


def test_a_throttled_address_looks_the_same_for_known_and_unknown_accounts(
    officer_email: str, settings: Any
) -> None:
    settings.SHARAKA_PASSWORD_RESET_PER_IP = 2
    known = [_ask(officer_email, ip="192.0.2.50") for _ in range(3)]
    cache.clear()
    unknown = [_ask("nobody@example.org", ip="192.0.2.50") for _ in range(3)]
    assert [r.status_code for r in known] == [r.status_code for r in unknown] == [302, 302, 429]
    assert known[0]["Location"] == unknown[0]["Location"]
    assert _page(known[2], officer_email) == _page(unknown[2], "nobody@example.org")


def _page(response: Any, email: str) -> str:
    """The page without what differs by nature: the address typed and the CSRF tokens."""
    return re.sub(r"[A-Za-z0-9]{64}", "", response.content.decode().replace(email, ""))
