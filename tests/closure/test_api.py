"""The closure API (read-only): per role, what it holds, fixed queries."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from sharaka.accounts.models import ApiToken
from sharaka.closure import services
from sharaka.closure.models import WindDownItem
from tests.closure.conftest import ClosureWorld, pdf
from tests.closure.test_views import READERS
from tests.conftest import ROLES, World

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_for(world: World) -> Any:
    def make(role: str, scope: str = "read") -> Client:
        _token, raw = ApiToken.issue(user=world.user(role), name="tests", scope=scope)
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return make


def _url(cw: ClosureWorld) -> str:
    return f"/api/closure/partnerships/{cw.a.slug}"


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reads_the_closure_or_gets_404(cw: ClosureWorld, api_for: Any, role: str) -> None:
    cw.start(document=pdf("preavis.pdf"))
    response = api_for(role).get(_url(cw))
    assert response.status_code == (200 if role in READERS else 404), role


def test_anonymous_gets_401_and_another_partnership_404(cw: ClosureWorld, api_for: Any) -> None:
    assert Client().get(_url(cw)).status_code == 401
    assert api_for("coordinator").get(f"/api/closure/partnerships/{cw.w.b.slug}").status_code == 404


def test_the_closure_as_the_page_shows_it(cw: ClosureWorld, api_for: Any) -> None:
    before = api_for("officer").get(_url(cw)).json()
    assert before["termination"] is None and before["items"] == [] and before["accounts"] is None
    cw.start(document=pdf("preavis.pdf"))
    item = WindDownItem.objects.filter(partnership=cw.a, kind="asset").get()
    services.item_update(by=cw.w.officer, item=item, fields={"status": "in_progress"},
                         evidence=pdf("inventaire.pdf"))  # fmt: skip
    body = api_for("officer").get(_url(cw)).json()
    assert body["status"] == "terminating"
    assert body["termination"]["ground"] == "notice"
    assert body["termination"]["reason"] == "Retrait du partenaire"
    items = WindDownItem.objects.filter(partnership=cw.a).order_by("position", "pk")
    assert [i["id"] for i in body["items"]] == [i.pk for i in items]
    assert body["open_items"] == sum(1 for i in items if not i.is_closed)
    assert {"kind": "asset", "status": "in_progress"}.items() <= next(
        i for i in body["items"] if i["id"] == item.pk
    ).items()
    accounts = body["accounts"]
    assert Decimal(accounts["balance"]) == Decimal("2266.67")
    assert sum(Decimal(s["amount"]) for s in accounts["shares"]) == Decimal(accounts["balance"])
    assert accounts["approved"] is False


def test_a_write_is_not_offered(cw: ClosureWorld, api_for: Any) -> None:
    cw.start(document=pdf("preavis.pdf"))
    response = api_for("officer", scope="write").post(_url(cw), {}, content_type="application/json")
    assert response.status_code == 405


def test_fixed_queries(cw: ClosureWorld, api_for: Any, django_assert_max_num_queries: Any) -> None:
    cw.start(document=pdf("preavis.pdf"))
    client = api_for("officer")

    def count() -> int:
        with django_assert_max_num_queries(40) as counted:
            assert client.get(_url(cw)).status_code == 200
        return len(counted.captured_queries)

    small = count()
    for item in WindDownItem.objects.filter(partnership=cw.a):
        services.item_update(by=cw.w.officer, item=item, fields={"status": "in_progress"},
                             evidence=pdf("piece.pdf"))  # fmt: skip
    assert count() == small
