"""Fixtures of the information-request tests: partnership A (led by authority A) with a
working calendar holding one holiday, and a helper that files a request."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.cache import cache

from sharaka.directory.models import Holiday, WorkingCalendar
from sharaka.transparency import services
from sharaka.transparency.models import InformationRequest
from tests.conftest import World
from tests.planning.conftest import pw  # noqa: F401 (the action plan fixture)

HOLIDAY = date(2026, 11, 18)  # a Wednesday


def fields(**overrides: Any) -> dict[str, Any]:
    return {
        "requester_name": "Rachida Secret",
        "requester_address": "12 rue des Secrets",
        "requester_id_number": "ZZ998877",
        "requester_email": "rachida@example.org",
        "information_sought": "Le budget du complexe sportif.",
        "preferred_format": "paper",
        "urgent": False,
        **overrides,
    }


def record(
    w: World, received_on: date = date(2026, 11, 2), partnership: Any = None, **overrides: Any
) -> InformationRequest:
    return services.request_record(
        by=w.officer,
        partnership=partnership or w.a,
        fields=fields(received_on=received_on, **overrides),
    )


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    cache.clear()


@pytest.fixture
def calendar(world: World) -> WorkingCalendar:
    calendar = WorkingCalendar.objects.create(organization=world.a.lead_authority)
    Holiday.objects.create(calendar=calendar, day=HOLIDAY, label="Fête de l'indépendance")
    return calendar
