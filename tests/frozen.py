"""Assertions on ``core.immutable`` models, shared by the apps' immutability tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.apps.registry import Apps
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from sharaka.core.immutable import Immutable, ImmutableError


def refused(call: Callable[[], object], code: str) -> ImmutableError:
    """``call()`` raises an ``ImmutableError`` with ``code`` (returned, for its message)."""
    with pytest.raises(ImmutableError) as caught:
        call()
    assert caught.value.code == code
    assert caught.value.message
    return caught.value


def assert_frozen(record: Immutable, code: str, **change: Any) -> None:
    """Saving ``record`` with ``change``, deleting it, and updating or deleting it through a
    queryset are all refused with ``code``; the stored row stays as it was."""
    model = type(record)
    stored = model._base_manager.filter(pk=record.pk)
    before = stored.values().get()
    for name, value in change.items():
        setattr(record, name, value)
    refused(record.save, code)
    refused(record.delete, code)
    rows = model._default_manager.filter(pk=record.pk)
    refused(lambda: rows.update(**change), code)
    refused(rows.delete, code)
    assert stored.values().get() == before


def migration_apps() -> Apps:
    """The models as a data migration sees them: historical models, with plain managers
    (the guard of ``core.immutable`` is not theirs), on the current schema."""
    return MigrationLoader(connection).project_state().apps
