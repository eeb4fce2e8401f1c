"""An authority's working calendar: edited in the admin, read as the deadline rule's
calendar (default: Saturday and Sunday off, no holiday)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from sharaka.core.rules.deadline import Calendar
from sharaka.directory.models import Holiday, WorkingCalendar
from sharaka.directory.selectors import calendars_get
from tests.conftest import World, sign_in


@pytest.mark.django_db
def test_default_and_edited_calendars(world: World) -> None:
    a, b = world.a.lead_authority, world.b.lead_authority
    assert calendars_get([]) == {}
    assert calendars_get([a.pk]) == {a.pk: Calendar()}
    calendar = WorkingCalendar.objects.create(organization=a, friday_off=True, saturday_off=True,
                                              sunday_off=False)  # fmt: skip
    Holiday.objects.create(calendar=calendar, day=dt.date(2026, 7, 30), label="Fête du trône")
    got = calendars_get([a.pk, b.pk])
    assert got[a.pk] == Calendar(frozenset({4, 5}), frozenset({dt.date(2026, 7, 30)}))
    assert got[b.pk] == Calendar()


@pytest.mark.django_db
def test_the_admin_edits_a_calendar_with_its_holidays(client_for: Any, world: World) -> None:
    from django.contrib.auth import get_user_model

    root = get_user_model().objects.create_superuser("root", "root@example.org", "x-Pass-2026!")
    client = sign_in(Client(), root)
    authority = world.a.lead_authority
    response = client.post("/admin/directory/workingcalendar/add/", {
        "organization": authority.pk, "saturday_off": "on", "sunday_off": "on",
        "holidays-TOTAL_FORMS": "1", "holidays-INITIAL_FORMS": "0",
        "holidays-0-day": "2026-11-18", "holidays-0-label": "Fête de l'indépendance",
        "holidays-0-demo": "on",
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    calendar = WorkingCalendar.objects.get(organization=authority)
    assert calendar.weekend == {5, 6}
    assert [(h.label, h.demo) for h in calendar.holidays.all()] == [
        ("Fête de l'indépendance", True)
    ]
    assert client_for("officer").get("/admin/directory/workingcalendar/").status_code == 302
