"""The selection API (``/api/selection``): the same rights as the pages, problem JSON."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from sharaka.accounts.models import ApiToken
from sharaka.partners.selection_models import Call, PartnerChoice, PartnerCompetence
from tests.conftest import ROLES
from tests.partners.conftest import PartnersWorld

pytestmark = pytest.mark.django_db


def _api(pw: PartnersWorld, role: str) -> Client:
    _token, raw = ApiToken.issue(user=pw.w.user(role), name="tests")
    return Client(headers={"Authorization": f"Bearer {raw}"})


ALLOWED = {"admin", "officer"}


@pytest.mark.parametrize("role", ROLES)
def test_reads_per_role(pw: PartnersWorld, role: str) -> None:
    client = _api(pw, role)
    slug = pw.w.a.slug
    expected = 200 if role in ALLOWED else 404
    assert client.get(f"/api/selection/partnerships/{slug}").status_code == expected
    assert client.get(f"/api/selection/partnerships/{slug}/calls").status_code == expected
    profile_readers = {"admin", "officer", "other_officer"}
    url = f"/api/selection/organizations/{pw.association.pk}/profile"
    assert client.get(url).status_code == (200 if role in profile_readers else 404)


@pytest.mark.parametrize("role", ROLES)
def test_writes_per_role(pw: PartnersWorld, role: str) -> None:
    client = _api(pw, role)
    slug = pw.w.a.slug
    today = timezone.localdate().isoformat()
    choice = client.post(f"/api/selection/partnerships/{slug}/choices",
                         {"organization_id": pw.association.pk, "decision": "chosen",
                          "reason": "Proche"}, content_type="application/json")  # fmt: skip
    call = client.post(f"/api/selection/partnerships/{slug}/calls",
                       {"title": "Appel", "text": "T", "opens_on": today, "closes_on": today},
                       content_type="application/json")  # fmt: skip
    expected = 201 if role in ALLOWED else 404
    assert (choice.status_code, call.status_code) == (expected, expected)
    assert PartnerChoice.objects.exists() == (role in ALLOWED)
    assert Call.objects.exists() == (role in ALLOWED)


def test_profile_and_selection_through_the_api(pw: PartnersWorld, client_for: Any) -> None:
    client = _api(pw, "officer")
    url = f"/api/selection/organizations/{pw.association.pk}/profile"
    body = {"competence": "sport_coaching", "level": 2, "reference": "Écoles de sport"}
    assert client.post(url, body, content_type="application/json").status_code == 200
    refused = client.post(url, {**body, "level": 7}, content_type="application/json")
    assert refused.status_code == 409 and refused.json()["code"] == "level_range"
    assert PartnerCompetence.objects.get().level == 2
    data = client.get(f"/api/selection/partnerships/{pw.w.a.slug}").json()
    assert "sport_coaching" in data["gaps"]  # the candidate is no party yet
    assert data["candidates"][0]["name"] == "Association Amal"
    assert client.get("/api/selection/competences").status_code == 200
