"""API tokens: expiry, scopes, the profile page that issues and revokes them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from sharaka.accounts import services
from sharaka.accounts.error_codes import AccountsErrorCode
from sharaka.accounts.models import ApiToken, ApiTokenScope
from sharaka.core.errors import DomainError
from sharaka.directory.models import Organization
from tests.conftest import World, sign_in

pytestmark = pytest.mark.django_db


def _bearer(raw: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {raw}"})


def _create_organization(client: Client, name: str = "Association Nour") -> Any:
    return client.post(
        "/api/organizations", data={"name": name, "kind": "association"},
        content_type="application/json",
    )  # fmt: skip


def _problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["code"] == code
    return body


# --- Scope ------------------------------------------------------------------------------


def test_a_read_token_reads_but_every_write_is_a_403_problem(world: World) -> None:
    _token, raw = services.api_token_issue(user=world.officer, name="lecture", scope="read")
    client = _bearer(raw)
    assert client.get("/api/partnerships").status_code == 200
    body = _problem(_create_organization(client), 403, "api_token_read_only")
    assert "lecture seule" in body["detail"]
    assert 'error="insufficient_scope"' in _create_organization(client)["WWW-Authenticate"]
    assert not Organization.objects.filter(name="Association Nour").exists()
    org = Organization.objects.get(pk=world.a.lead_authority_id)
    patched = client.patch(
        f"/api/organizations/{org.pk}", data={"city": "Ailleurs"}, content_type="application/json"
    )
    _problem(patched, 403, "api_token_read_only")
    org.refresh_from_db()
    assert org.city != "Ailleurs"


def test_a_write_token_writes(world: World) -> None:
    _token, raw = services.api_token_issue(user=world.officer, name="script", scope="write")
    assert _create_organization(_bearer(raw)).status_code == 201


# --- Expiry -----------------------------------------------------------------------------


def test_an_expired_token_is_a_401_saying_it_expired(world: World) -> None:
    token, raw = services.api_token_issue(user=world.officer, name="vieux", scope="read", days=1)
    client = _bearer(raw)
    assert client.get("/api/partnerships").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get("/api/partnerships")
    body = _problem(response, 401, "api_token_expired")
    assert "expiré" in body["detail"]
    assert response["WWW-Authenticate"] == 'Bearer error="invalid_token"'
    assert ApiToken.find_user(raw) is None


def test_a_token_expires_after_the_days_chosen(world: World, monkeypatch: Any) -> None:
    token, raw = services.api_token_issue(user=world.officer, name="x", scope="read", days=7)
    assert token.expires_at - token.created_at == pytest.approx(
        timedelta(days=7), abs=timedelta(seconds=5)
    )
    later = timezone.now() + timedelta(days=7, seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    _problem(_bearer(raw).get("/api/partnerships"), 401, "api_token_expired")


def test_unknown_and_revoked_tokens_stay_a_plain_401(world: World) -> None:
    token, raw = services.api_token_issue(user=world.officer, name="x", scope="write")
    services.api_token_revoke(user=world.officer, token=token)
    body = _problem(_bearer(raw).get("/api/partnerships"), 401, "unauthenticated")
    assert "expiré" not in body["detail"]
    _problem(_bearer("shk_unknown").get("/api/partnerships"), 401, "unauthenticated")


def test_a_used_token_records_its_last_use(world: World) -> None:
    token, raw = services.api_token_issue(user=world.officer, name="x", scope="read")
    assert token.last_used_at is None
    _bearer(raw).get("/api/partnerships")
    token.refresh_from_db()
    assert token.last_used_at is not None


# --- Issuing ----------------------------------------------------------------------------


def test_the_default_and_the_maximum_lifetime_come_from_settings(
    world: World, settings: Any
) -> None:
    settings.SHARAKA_API_TOKEN_DAYS = 30
    settings.SHARAKA_API_TOKEN_MAX_DAYS = 60
    token, _raw = services.api_token_issue(user=world.officer, name="x", scope="read")
    assert token.expires_at - token.created_at == pytest.approx(
        timedelta(days=30), abs=timedelta(seconds=5)
    )
    for days in (0, -1, 61):
        with pytest.raises(DomainError) as refused:
            services.api_token_issue(user=world.officer, name="x", scope="read", days=days)
        assert refused.value.code == AccountsErrorCode.TOKEN_LIFETIME
        assert refused.value.field == "days"
    assert world.officer.api_tokens.count() == 1


def test_an_unknown_scope_is_refused(world: World) -> None:
    with pytest.raises(DomainError) as refused:
        services.api_token_issue(user=world.officer, name="x", scope="admin")
    assert refused.value.code == AccountsErrorCode.TOKEN_SCOPE
    assert refused.value.field == "scope"
    assert not world.officer.api_tokens.exists()


def test_the_profile_issues_a_token_with_scope_and_lifetime(world: World) -> None:
    client = sign_in(Client(), world.coordinator)
    page = client.get("/comptes/profil/").content.decode()
    assert 'name="scope"' in page and 'name="days"' in page
    response = client.post("/comptes/profil/", {"name": "tableur", "scope": "read", "days": 30})
    assert response.context["new_key"].startswith("shk_")
    token = world.coordinator.api_tokens.get()
    assert token.scope == ApiTokenScope.READ
    assert token.expires_at - token.created_at == pytest.approx(
        timedelta(days=30), abs=timedelta(seconds=5)
    )
    page = response.content.decode()
    assert "Lecture seule" in page
    assert "Expire le" in page


def test_the_profile_refuses_a_lifetime_over_the_maximum_on_its_field(
    world: World, settings: Any
) -> None:
    settings.SHARAKA_API_TOKEN_MAX_DAYS = 365
    client = sign_in(Client(), world.coordinator)
    response = client.post("/comptes/profil/", {"name": "t", "scope": "write", "days": 400})
    assert response.status_code == 200
    assert response.context["form"].errors["days"]
    assert not world.coordinator.api_tokens.exists()


def test_revoking_asks_for_a_confirmation_first(world: World) -> None:
    token, raw = services.api_token_issue(user=world.coordinator, name="tableur", scope="read")
    client = sign_in(Client(), world.coordinator)
    url = f"/comptes/profil/jetons/{token.pk}/revoquer/"
    assert url in client.get("/comptes/profil/").content.decode()
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "tableur" in confirm.content.decode()
    token.refresh_from_db()
    assert not token.revoked
    assert client.post(url).status_code == 302
    token.refresh_from_db()
    assert token.revoked
    assert _bearer(raw).get("/api/partnerships").status_code == 401


def test_nobody_revokes_someone_elses_token(world: World) -> None:
    token, _raw = services.api_token_issue(user=world.coordinator, name="t", scope="read")
    client = sign_in(Client(), world.outsider)
    url = f"/comptes/profil/jetons/{token.pk}/revoquer/"
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    token.refresh_from_db()
    assert not token.revoked
