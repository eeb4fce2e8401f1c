"""An administrator marks a partnership for IATI publication in the admin; an officer
cannot reach it."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from sharaka.opendata.models import IatiPublication
from tests.conftest import World, sign_in

pytestmark = pytest.mark.django_db


def test_the_admin_marks_a_partnership_for_iati(client_for: Any, world: World) -> None:
    root = get_user_model().objects.create_superuser("root", "root@example.org", "x-Pass-2026!")
    client = sign_in(Client(), root)
    response = client.post("/admin/opendata/iatipublication/add/", {
        "partnership": world.a.pk, "reporting_org_ref": "MA-COM-1",
        "funder": world.a.lead_authority.pk, "funder_ref": "", "published": "on",
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    publication = IatiPublication.objects.get(partnership=world.a)
    assert publication.identifier == f"MA-COM-1-{world.a.slug}"
    assert client.get("/admin/opendata/iatipublication/").status_code == 200
    assert client_for("officer").get("/admin/opendata/iatipublication/").status_code == 302
