"""The deliberations API: a partnership's council deliberations and an authority's oversight
dashboard, read per role (404 for outsiders), fixed query counts, paged by key."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sharaka.accounts.models import ApiToken
from sharaka.conventions import deliberation_selectors, services
from sharaka.conventions.models import ConventionVersion, Deliberation
from sharaka.partnerships.models import Party
from tests.conftest import ROLES, World
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

LIST = "/api/conventions/partenariat-a/deliberations"
DASHBOARD = "/api/conventions/oversight"
SESSION = dt.date(2025, 7, 7)
VIEWERS = {"admin", "officer", "coordinator", "board_member", "treasurer", "auditor"}


@pytest.fixture
def api_for(world: World) -> Any:
    def make(role: str) -> Client:
        _token, raw = ApiToken.issue(user=world.user(role), name="tests")
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return make


def _lead(world: World) -> Party:
    return Party.objects.get(partnership=world.a, organization=world.a.lead_authority)


def _record(world: World, version: ConventionVersion, party: Party | None = None,
            **fields: Any) -> Deliberation:  # fmt: skip
    values = {"version": version, "number": f"D-{Deliberation.objects.count()}",
              "session_date": SESSION} | fields  # fmt: skip
    return services.deliberation_record(by=world.admin, party=party or _lead(world), fields=values)


def _problem(response: Any, status: int) -> None:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("role", ROLES)
def test_deliberations_per_role(api_for: Any, world: World, signed: ConventionVersion,
                                role: str) -> None:  # fmt: skip
    deliberation = _record(world, signed)  # never transmitted: overdue since 2025-07-28
    response = api_for(role).get(LIST)
    if role not in VIEWERS:
        _problem(response, 404)
        return
    assert response.status_code == 200
    body = response.json()
    assert body["current_version"] == 0
    [party] = body["parties"]
    assert party["organization"] == "Commune A" and party["current_version_cleared"] is False
    [row] = party["deliberations"]
    assert row["id"] == deliberation.pk and row["version"] == 0
    assert row["transmission_due"] == "2025-07-28" and row["transmission_overdue"] is True
    assert row["state"] == "to_transmit" and row["waiting_for"] == "transmission"
    other = api_for(role).get("/api/conventions/partenariat-b/deliberations")
    if role != "admin":  # the platform administrator sees every partnership
        _problem(other, 404)


def test_deliberations_state_and_deemed_visa(api_for: Any, world: World,
                                             signed: ConventionVersion) -> None:  # fmt: skip
    _record(world, signed, transmitted_on=dt.date(2025, 7, 9), financial_effect=True,
            oversight="no_objection")  # fmt: skip
    [row] = api_for("auditor").get(LIST).json()["parties"][0]["deliberations"]
    assert row["transmission_overdue"] is False and row["oversight"] == "no_objection"
    assert row["visa_deemed_on"] == "2025-07-29"  # 20 calendar days after the transmission
    assert row["visa_deemed_granted"] is True and row["state"] == "cleared"


def test_deliberations_fixed_queries(api_for: Any, world: World,
                                     signed: ConventionVersion) -> None:  # fmt: skip
    client = api_for("officer")
    _record(world, signed)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST).status_code == 200
        return len(queries)

    small = count()
    for _n in range(4):
        party = Party.objects.create(partnership=world.a, role="partner",
                                     organization=OrganizationFactory())  # fmt: skip
        _record(world, signed, party, transmitted_on=SESSION)
    assert count() == small
    assert len(client.get(LIST).json()["parties"]) == 5


# the dashboard: the authority officers (their own authority) and the platform admin
DASHBOARD_STATUS = {"admin": 200, "officer": 200, "other_officer": 200, "coordinator": 403,
                    "board_member": 403, "treasurer": 403, "auditor": 403,
                    "outsider": 403}  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
def test_dashboard_per_role(api_for: Any, world: World, signed: ConventionVersion,
                            role: str) -> None:  # fmt: skip
    deliberation = _record(world, signed)
    lead = world.a.lead_authority.pk
    query = {"authority": lead} if role == "admin" else {}
    response = api_for(role).get(DASHBOARD, query)
    if DASHBOARD_STATUS[role] != 200:
        _problem(response, DASHBOARD_STATUS[role])
        return
    body = response.json()
    if role == "other_officer":  # their own authority: B has nothing waiting
        assert body["authority"] == world.b.lead_authority.pk and body["items"] == []
        _problem(api_for(role).get(DASHBOARD, {"authority": lead}), 404)  # not theirs
        return
    assert body["authority"] == lead and body["next_after"] == ""
    assert body["items"] == [{
        "id": deliberation.pk, "partnership": "partenariat-a", "number": deliberation.number,
        "version": 0, "session_date": "2025-07-07", "waiting_for": "transmission",
        "due_on": "2025-07-28", "overdue": True,
    }]  # fmt: skip


def test_dashboard_admin_must_name_the_authority(api_for: Any, world: World) -> None:
    _problem(api_for("admin").get(DASHBOARD), 404)
    _problem(api_for("admin").get(DASHBOARD, {"authority": 0}), 422)


def test_dashboard_paged_by_key_with_fixed_queries(
    api_for: Any, world: World, signed: ConventionVersion, monkeypatch: Any
) -> None:
    monkeypatch.setattr(deliberation_selectors, "DASHBOARD_PAGE", 1)
    lead = world.a.lead_authority
    client = api_for("officer")
    made = [_record(world, signed, session_date=SESSION - dt.timedelta(days=7))]
    for role in ("funder", "operator"):
        party = Party.objects.create(partnership=world.a, role=role,
                                     organization=OrganizationFactory())  # fmt: skip
        made.append(_record(world, signed, party))  # the same due date: the id breaks the tie
    # the other rows belong to the lead authority too (a party in several roles)
    Party.objects.filter(pk__in=[d.party_id for d in made[1:]]).update(organization=lead)

    seen: list[int] = []
    counts = []
    after = ""
    while True:
        with CaptureQueriesContext(connection) as queries:
            body = client.get(DASHBOARD, {"after": after}).json()
        counts.append(len(queries))
        seen += [item["id"] for item in body["items"]]
        after = body["next_after"]
        if not after:
            break
    assert seen == [d.pk for d in made]  # by due date, then id; each row once
    assert len(set(counts)) == 1 and len(counts) == 3
