"""/healthz and /readyz: small JSON answers, before any middleware that touches the database,
redirects or checks the host (sharaka/ops/health.py)."""

from __future__ import annotations

import json
from typing import Any
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client

from sharaka.ops import health
from tests.conftest import ROLES


@pytest.fixture(autouse=True)
def _no_redis(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setattr(health, "_migrations_seen_applied", False)


def _json(response: Any) -> dict[str, Any]:
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    body: dict[str, Any] = json.loads(response.content)
    return body


def test_healthz_answers_without_the_database(client: Client) -> None:
    # no django_db mark: any query would raise here
    response = client.get("/healthz")
    assert response.status_code == 200
    assert _json(response) == {"status": "ok"}
    assert not response.cookies  # no session, no CSRF cookie, no language cookie


@pytest.mark.django_db
def test_readyz_is_ready_on_a_migrated_database(client: Client) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert _json(response) == {
        "status": "ready", "checks": {"database": "ok", "migrations": "ok"},
    }  # fmt: skip
    assert not response.cookies


@pytest.mark.django_db
def test_readyz_reads_the_migrations_once_then_only_asks_the_database(
    client: Client, django_assert_num_queries: Any
) -> None:
    assert client.get("/readyz").status_code == 200
    with django_assert_num_queries(1):  # SELECT 1
        assert client.get("/readyz").status_code == 200


@pytest.mark.django_db
def test_readyz_is_503_when_a_migration_is_not_applied(client: Client) -> None:
    with mock.patch.object(
        health.MigrationExecutor, "migration_plan", return_value=[("finance.9999", False)]
    ):
        response = client.get("/readyz")
        again = client.get("/readyz")  # a pending result is not remembered
    assert response.status_code == 503 and again.status_code == 503
    assert _json(response) == {
        "status": "not ready", "checks": {"database": "ok", "migrations": "pending"},
    }  # fmt: skip
    assert client.get("/readyz").status_code == 200  # applied now: ready


@pytest.mark.django_db
def test_readyz_is_503_when_the_database_does_not_answer(client: Client) -> None:
    with mock.patch.object(
        health.connection,
        "cursor",
        side_effect=OperationalError("could not connect to db.internal"),
    ):
        response = client.get("/readyz")
    assert response.status_code == 503
    body = _json(response)
    assert body == {
        "status": "not ready",
        "checks": {"database": "unreachable", "migrations": "unknown"},
    }
    assert "db.internal" not in response.content.decode()  # the reason goes to the log only


@pytest.mark.django_db
def test_readyz_checks_redis_when_configured(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    # nothing listens on port 1: refused at once
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert _json(response)["checks"] == {
        "database": "ok",
        "migrations": "ok",
        "queue": "unreachable",
    }
    with mock.patch.object(health.redis.Redis, "ping", return_value=True):
        response = client.get("/readyz")
    assert response.status_code == 200
    assert _json(response)["checks"]["queue"] == "ok"


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_only_get_and_head(client: Client, path: str) -> None:
    response = client.post(path)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_pass_before_the_https_redirect_and_the_host_check(
    client: Client, settings: Any, path: str
) -> None:
    """A load balancer probes over plain HTTP at the machine's own address."""
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["sharaka.example.ma"]
    assert client.get(path, HTTP_HOST="10.0.0.5:8000").status_code == 200
    assert client.get("/partenariats/", HTTP_HOST="10.0.0.5:8000").status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("role", [None, *ROLES])
def test_every_role_gets_the_same_answer_and_no_cookie(client_for: Any, role: str | None) -> None:
    """Public by design (ADR 0015): nothing in them depends on who asks."""
    client = client_for(role)
    ready = {"status": "ready", "checks": {"database": "ok", "migrations": "ok"}}
    for path, expected in (("/healthz", {"status": "ok"}), ("/readyz", ready)):
        response = client.get(path)
        assert response.status_code == 200
        assert _json(response) == expected
        assert not response.cookies
