"""A database too busy to answer is a 503 asking to try again, never a 500; a request body
larger than any upload allowed is refused before it is read."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from sharaka.accounts.models import ApiToken
from sharaka.core.errors import database_busy
from tests.conftest import World

pytestmark = pytest.mark.django_db


def _locked(*args: Any, **kwargs: Any) -> Any:
    raise OperationalError("database is locked")


def test_busy_database_on_a_page_is_a_503_asking_to_try_again(
    client_for: Any, monkeypatch: Any
) -> None:
    from sharaka.partnerships import selectors

    monkeypatch.setattr(selectors, "dashboard_get", _locked)
    response = client_for("officer").get("/")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert "La base de données est occupée" in response.content.decode()


def test_busy_database_in_the_api_is_a_503_problem(world: World, monkeypatch: Any) -> None:
    from sharaka.partnerships import selectors

    monkeypatch.setattr(selectors, "partnership_list", _locked)
    _token, raw = ApiToken.issue(user=world.officer, name="tests")
    response = Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/partnerships")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "database_busy" and body["status"] == 503
    assert "réessayez" in body["detail"]


def test_busy_database_outside_a_view_is_a_503(world: World, monkeypatch: Any) -> None:
    """A session read by a middleware before the view, say: the 500 handler answers 503."""
    from django.contrib.sessions.backends.db import SessionStore

    client = Client(raise_request_exception=False)
    client.force_login(world.officer)
    monkeypatch.setattr(SessionStore, "load", _locked)
    response = client.get("/")
    assert response.status_code == 503
    assert b"occup" in response.content


def test_what_counts_as_busy() -> None:
    assert database_busy(OperationalError("database is locked"))
    assert database_busy(OperationalError("database table is locked: finance_expense"))
    for state in (
        psycopg.errors.LockNotAvailable,
        psycopg.errors.QueryCanceled,
        psycopg.errors.DeadlockDetected,
        psycopg.errors.SerializationFailure,
    ):
        wrapped = OperationalError("canceled")
        wrapped.__cause__ = state()
        assert database_busy(wrapped)
    assert not database_busy(OperationalError("no such table: x"))
    assert not database_busy(ValueError("database is locked"))


def test_a_body_larger_than_any_upload_is_refused_before_it_is_read(
    client_for: Any, settings: Any
) -> None:
    settings.SHARAKA_MAX_UPLOAD_MB = settings.SHARAKA_MAX_IMPORT_MB = 0.5
    url = reverse("finance:import", kwargs={"slug": "partenariat-a"})
    response = client_for("coordinator").post(
        url, data=b"x" * (2 * 1024 * 1024), content_type="application/octet-stream"
    )
    assert response.status_code == 413
    assert "Envoi trop volumineux" in response.content.decode()
    api = Client().post("/api/partnerships", data=b"x" * (2 * 1024 * 1024),
                        content_type="application/json")  # fmt: skip
    assert api.status_code == 413 and api.json()["code"] == "upload_too_large"
