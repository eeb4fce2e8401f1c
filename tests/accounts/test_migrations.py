"""The migration that gave API tokens a scope and an expiry keeps existing tokens working."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from sharaka.accounts.models import ApiToken

BEFORE = [("accounts", "0002_initial")]


@pytest.mark.django_db(transaction=True)
def test_existing_tokens_get_the_write_scope_and_the_default_expiry(settings: Any) -> None:
    settings.SHARAKA_API_TOKEN_DAYS = 90
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE).apps
        user = old.get_model("accounts", "User").objects.create(username="scripteur")
        old.get_model("accounts", "ApiToken").objects.create(
            user=user, name="ancien", key_hash="a" * 64, prefix="shk_abcd"
        )
    finally:  # back to the latest schema, whatever happens
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    token = ApiToken.objects.get(name="ancien")
    assert token.scope == "write"
    assert token.expires_at - timezone.now() == pytest.approx(
        timedelta(days=90), abs=timedelta(minutes=1)
    )
