"""Ordinary bad input gets a clear refusal naming the field, never a 500 (issue 21, low).

Explicit nulls in partial updates, ids that do not exist or do not fit in a 64-bit integer,
dates the pages cannot show, a partnership form without its slug.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from sharaka.accounts.models import ApiToken
from sharaka.core import bounds
from sharaka.core.errors import ValidationFailed
from sharaka.directory.models import Organization
from sharaka.partnerships.models import Partnership
from sharaka.planning import services as planning
from tests.conftest import World
from tests.factories import PersonFactory
from tests.planning import conftest as planning_fixtures
from tests.planning.conftest import PlanWorld, make_decision
from tests.structure import conftest as structure_fixtures
from tests.structure.conftest import StructureWorld

pytestmark = pytest.mark.django_db
pw = planning_fixtures.pw
sw = structure_fixtures.sw

HUGE = 10**30


@pytest.fixture
def api(world: World) -> Client:
    _token, raw = ApiToken.issue(user=world.admin, name="tests")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def _send(client: Client, method: str, url: str, body: Any) -> Any:
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def _refused(response: Any, field: str, status: int = 422) -> dict[str, Any]:
    """A problem JSON refusal whose errors name ``field``."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert field in {error["field"] for error in body.get("errors", [])}, body
    return body


# --- Explicit null in a partial update ------------------------------------------------------


def test_patch_null_on_an_organization_is_refused(api: Client, world: World) -> None:
    org = world.a.lead_authority
    org.notes = "Interlocuteur : M. Alami"
    org.save()
    for field in ("notes", "name", "city", "public_utility", "kind"):
        _refused(_send(api, "patch", f"/api/organizations/{org.pk}", {field: None}), field)
    org.refresh_from_db()
    assert org.notes == "Interlocuteur : M. Alami"
    # null still clears what may be empty
    ok = _send(api, "patch", f"/api/organizations/{org.pk}", {"declaration_date": None})
    assert ok.status_code == 200, ok.content


def test_patch_null_on_an_asset_is_refused(api: Client, sw: StructureWorld) -> None:
    base = "/api/structure/partnerships/partenariat-a/assets"
    created = _send(api, "post", base, {
        "kind": "equipment", "name": "Minibus", "owner_id": sw.commune.pk,
        "provided_by_id": sw.commune.pk, "value": "1000", "location": "Dépôt",
        "reference": "MB-1",
    })  # fmt: skip
    assert created.status_code == 201, created.content
    url = f"{base}/{created.json()['id']}"
    for field in ("location", "reference", "name", "value"):
        _refused(_send(api, "patch", url, {field: None}), field)
    assert api.get(url).json()["location"] == "Dépôt"
    assert _send(api, "patch", url, {"acquired_on": None}).status_code == 200


def test_patch_null_on_staff_is_refused(api: Client, sw: StructureWorld) -> None:
    row = sw.staff(note="Mi-temps")
    url = f"/api/structure/partnerships/partenariat-a/staff/{row.pk}"
    for field in ("note", "title", "role", "start_date", "time_share"):
        _refused(_send(api, "patch", url, {field: None}), field)
    assert _send(api, "patch", url, {"end_date": None}).status_code == 200


def test_patch_null_on_a_plan_is_refused(api: Client, pw: PlanWorld) -> None:
    url = f"/api/planning/partnerships/partenariat-a/plans/{pw.plan.pk}"
    for field in ("period_end", "period_start", "title"):
        _refused(_send(api, "patch", url, {field: None}), field)
    pw.plan.refresh_from_db()
    assert pw.plan.period_end is not None


def test_patch_null_on_a_partnership_is_refused(api: Client, world: World) -> None:
    for field in ("lead_authority_id", "title", "kind", "description"):
        _refused(_send(api, "patch", "/api/partnerships/partenariat-a", {field: None}), field)
    assert (
        _send(api, "patch", "/api/partnerships/partenariat-a", {"end_date": None}).status_code
        == 200
    )


def test_every_patch_schema_documents_only_nullable_fields_as_nullable() -> None:
    from sharaka.api import api as ninja_api

    document = ninja_api.get_openapi_schema()
    schemas = document["components"]["schemas"]
    patches = {name: s for name, s in schemas.items() if name.endswith("Patch")}
    assert {"OrganizationPatch", "AssetPatch", "StaffPatch", "PlanPatch"} <= set(patches)
    for name, schema in patches.items():
        for field, prop in schema["properties"].items():
            nullable = any(o.get("type") == "null" for o in prop.get("anyOf", []))
            if nullable:
                assert field.endswith(("_date", "_on", "_id", "college", "receipt_kind")) or (
                    name == "ClausePatch"
                ), (name, field)


# --- Ids that do not exist or do not fit -----------------------------------------------------


def test_partnership_patch_with_an_unknown_lead_authority(api: Client, world: World) -> None:
    missing = Organization.objects.order_by("-pk").first().pk + 1000  # type: ignore[union-attr]
    url = "/api/partnerships/partenariat-a"
    _refused(_send(api, "patch", url, {"lead_authority_id": missing}), "lead_authority_id")
    _refused(_send(api, "patch", url, {"lead_authority_id": HUGE}), "lead_authority_id")
    assert Partnership.objects.get(slug="partenariat-a").lead_authority_id == (
        world.a.lead_authority_id
    )


def test_delegation_with_integers_too_large(api: Client, sw: StructureWorld) -> None:
    decision = make_decision(sw.w.a, "delegation", on=date(2025, 1, 10))
    url = "/api/structure/partnerships/partenariat-a/delegations"
    body = {
        "delegate_id": sw.association.pk, "decision_id": decision.pk, "scope": "Gestion",
        "activity_ids": [], "start_date": "2025-02-01", "reporting_duty": "Rapport",
    }  # fmt: skip
    for field, value in (
        ("delegate_id", HUGE), ("decision_id", HUGE), ("activity_ids", [HUGE]),
        ("activity_ids", [2**63]), ("delegate_id", -1),
    ):  # fmt: skip
        body_bad = body | {field: value}
        response = _send(api, "post", url, body_bad)
        assert response.status_code == 422, (field, value, response.content)
        assert any(e["field"].startswith(field) for e in response.json()["errors"])


def test_query_year_out_of_range(api: Client, world: World) -> None:
    response = api.get("/api/finance/partnerships/partenariat-a/expenses?year=99999")
    _refused(response, "year")


# --- Dates -----------------------------------------------------------------------------------


def test_api_refuses_a_plan_ending_in_9999(api: Client, pw: PlanWorld) -> None:
    url = f"/api/planning/partnerships/partenariat-a/plans/{pw.plan.pk}"
    _refused(_send(api, "patch", url, {"period_end": "9999-12-31"}), "period_end")
    body = {"title": "Plan long", "period_start": "2040-01-01", "period_end": "2060-12-31"}
    body_bad = _send(api, "post", "/api/planning/partnerships/partenariat-a/plans", body)
    _refused(body_bad, "period_end")


def test_plan_service_refuses_dates_out_of_bounds(pw: PlanWorld) -> None:
    with pytest.raises(ValidationFailed) as caught:
        planning.plan_update(
            by=pw.w.coordinator, plan=pw.plan, fields={"period_end": date(9999, 12, 31)}
        )
    assert "period_end" in caught.value.errors
    with pytest.raises(ValidationFailed) as caught:  # at most ten calendar years
        planning.plan_update(
            by=pw.w.coordinator, plan=pw.plan, fields={"period_end": date(2040, 12, 31)}
        )
    assert "period_end" in caught.value.errors
    pw.plan.refresh_from_db()
    assert pw.plan.period_end.year < 2030


def test_staff_service_refuses_dates_out_of_bounds(sw: StructureWorld) -> None:
    with pytest.raises(ValidationFailed) as caught:
        sw.staff(person=PersonFactory(), end=date(9999, 12, 31))
    assert "end_date" in caught.value.errors


def test_plan_form_refuses_9999_and_pages_stay_up(client_for: Any, pw: PlanWorld) -> None:
    client = client_for("coordinator")
    url = f"/partenariats/partenariat-a/plan/{pw.plan.pk}/modifier/"
    response = client.post(
        url, {"title": "Plan", "period_start": "2025-01-01", "period_end": "9999-12-31"}
    )
    assert response.status_code == 200
    assert "period_end" in response.context["form"].errors
    pw.plan.refresh_from_db()
    assert pw.plan.period_end.year < 2100


def test_staff_form_refuses_an_end_in_9999(client_for: Any, sw: StructureWorld) -> None:
    client = client_for("coordinator")
    person = PersonFactory()
    response = client.post(
        "/partenariats/partenariat-a/structure/personnel/nouveau/",
        {"person": person.pk, "role": "team_member", "origin_organization": sw.commune.pk,
         "time_share": "50", "start_date": "2025-01-01", "end_date": "9999-12-31"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "end_date" in response.context["form"].errors


@given(st.dates())
def test_date_bounds_rule(day: date) -> None:
    inside = bounds.DATE_MIN <= day <= bounds.DATE_MAX
    assert bounds.date_in_bounds(day) is inside
    assert (bounds.out_of_bounds_dates({"d": day}) == {}) is inside


# --- Forms -----------------------------------------------------------------------------------


def test_partnership_edit_without_slug_keeps_it(client_for: Any, world: World) -> None:
    client = client_for("officer")
    a = world.a
    Partnership.objects.filter(pk=a.pk).update(title="Stade municipal")
    a.refresh_from_db()
    data = {
        "title": a.title, "kind": a.kind, "category": a.category, "sector": a.sector,
        "complexity": a.complexity, "lead_authority": a.lead_authority_id,
        "description": "Nouveau texte",
    }  # fmt: skip
    url = f"/partenariats/{a.slug}/modifier/"
    # with another error on the form, the page comes back with it (was a 500)
    bad = data | {"start_date": "2026-01-01", "end_date": "2025-01-01"}
    response = client.post(url, bad)
    assert response.status_code == 200
    assert "end_date" in response.context["form"].errors
    # without the slug, the partnership keeps its address
    response = client.post(url, data)
    assert response.status_code == 302, response.content[:500]
    a.refresh_from_db()
    assert a.slug == "partenariat-a" and a.description == "Nouveau texte"


@pytest.mark.parametrize(
    "url", ["/api/organizations", "/api/partnerships", "/api/meetings", "/api/meetings/decisions"]
)
def test_page_numbers_too_large(api: Client, url: str) -> None:
    _refused(api.get(f"{url}?page=4678661310890333175808"), "page")
    _refused(api.get(f"{url}?page_size=4678661310890333175808"), "page_size")


def test_plan_pages_survive_a_period_stored_before_the_bounds(
    client_for: Any, pw: PlanWorld
) -> None:
    """Data stored before the bounds existed (period ending 9999-12-31) must not take the
    plan pages down for good; the edit form then says what to fix."""
    from sharaka.planning.models import ActionPlan

    ActionPlan.objects.filter(pk=pw.plan.pk).update(period_end=date(9999, 12, 31))
    client = client_for("coordinator")
    base = "/partenariats/partenariat-a/plan/"
    for url in (base, f"{base}{pw.plan.pk}/", f"{base}{pw.plan.pk}/v1/",
                f"{base}{pw.plan.pk}/v1/impression/"):  # fmt: skip
        assert client.get(url).status_code == 200, url


def test_structure_pages_survive_a_staff_end_stored_before_the_bounds(
    client_for: Any, sw: StructureWorld
) -> None:
    from sharaka.structure.models import StaffAssignment

    row = sw.staff()
    StaffAssignment.objects.filter(pk=row.pk).update(end_date=date(9999, 12, 31))
    client = client_for("coordinator")
    base = "/partenariats/partenariat-a/structure/"
    for url in (base, f"{base}personnel/{row.pk}/modifier/", f"{base}personnel/export.csv"):
        assert client.get(url).status_code == 200, url
    # the edit form names the date to fix
    response = client.post(f"{base}personnel/{row.pk}/modifier/", {
        "person": row.person_id, "role": row.role, "origin_organization": sw.commune.pk,
        "time_share": "50", "start_date": "2025-01-01", "end_date": "9999-12-31",
    })  # fmt: skip
    assert response.status_code == 200 and "end_date" in response.context["form"].errors
