"""A terminated partnership is read-only everywhere (issue 17): the one access policy
refuses every write permission on it, with a message that says why; reads still work."""

from __future__ import annotations

import io
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client

from sharaka.accounts.models import ApiToken
from sharaka.core.access import (
    GRANTED_ROLES,
    POLICY,
    TERMINATED,
    WRITE_PERMS,
    Perm,
    capabilities,
    permissions_for,
    require,
)
from sharaka.core.errors import AccessDenied, NotFound
from sharaka.finance import cli as finance_cli
from sharaka.governance.models import Board
from sharaka.partnerships.models import Party
from sharaka.partnerships.rules import Status
from tests.conftest import World, sign_in
from tests.factories import AssociationFactory

MESSAGE = "Ce partenariat est terminé"


def test_core_names_the_terminated_status_of_the_lifecycle() -> None:
    assert Status.TERMINATED.value == TERMINATED


def test_write_permissions_are_exactly_those_that_change_a_partnership() -> None:
    reads = {p for p in Perm if p.name.endswith(("_VIEW", "_EXPORT", "_HISTORY"))}
    assert not reads & WRITE_PERMS
    # every permission a per-partnership role holds is a read or a write (adding people to
    # the directory is global, not a write on the partnership; information requests are
    # answered by the authority even once the partnership has ended, ADR 0024; the closure
    # records stay writable once terminated, ADR 0026, and closure.services limits them to
    # notes and evidence; running the pre-audit checks writes only their findings, ADR 0023)
    granted = set().union(*(POLICY[role] for role in GRANTED_ROLES))
    assert granted - reads - WRITE_PERMS == {
        Perm.DIRECTORY_CHANGE, Perm.REQUEST_MANAGE, Perm.CLOSURE_CHANGE, Perm.AUDIT_RUN,
    }  # fmt: skip
    # the officer's own writes on a partnership are writes too; granting access is kept so
    # that an auditor can be let in to read the archive
    assert {
        Perm.PARTNERSHIP_CHANGE, Perm.PARTNERSHIP_TRANSITION, Perm.GOVERNANCE_SETTINGS_CHANGE,
        Perm.CONVENTION_SIGN, Perm.EXPENSE_PAY,
    } <= WRITE_PERMS  # fmt: skip
    assert Perm.PARTNERSHIP_MANAGE_ACCESS not in WRITE_PERMS


@pytest.mark.django_db
def test_the_policy_keeps_reads_and_drops_writes(world: World) -> None:
    before = permissions_for(world.officer, world.a)
    world.a.status = TERMINATED
    after = permissions_for(world.officer, world.a)
    assert after == before - WRITE_PERMS
    assert Perm.PARTNERSHIP_VIEW in after and Perm.FINANCE_EXPORT in after
    assert not capabilities(world.admin, world.a)["expense_record"]
    with pytest.raises(AccessDenied) as error:
        require(world.admin, Perm.PARTNERSHIP_CHANGE, world.a)
    assert MESSAGE in error.value.message
    # someone who cannot see it still gets 404, not the news that it is terminated
    with pytest.raises(NotFound):
        require(world.other_officer, Perm.PARTNERSHIP_CHANGE, world.a)
    # an object that is not terminated is untouched
    active = SimpleNamespace(
        pk=world.a.pk, lead_authority_id=world.a.lead_authority_id, status="active"
    )
    assert permissions_for(world.officer, active) == before


@pytest.fixture
def terminated(world: World) -> World:
    Board.objects.create(partnership=world.a)  # the meetings pages need a board
    world.a.status = TERMINATED
    world.a.save()
    return world


WEB_WRITES = [
    ("officer", "/partenariats/partenariat-a/modifier/", {"title": "X"}),
    ("officer", "/partenariats/partenariat-a/parties/ajouter/", {"role": "partner"}),
    ("officer", "/partenariats/partenariat-a/statut/", {"to_status": "active"}),
    ("coordinator", "/partenariats/partenariat-a/finances/depenses/ajouter/", {}),
    ("coordinator", "/partenariats/partenariat-a/finances/contributions/ajouter/", {}),
    ("coordinator", "/partenariats/partenariat-a/plan/nouveau/", {"title": "Plan"}),
    ("coordinator", "/partenariats/partenariat-a/reunions/nouvelle/", {}),
    ("officer", "/partenariats/partenariat-a/convention/creer/", {}),
    ("officer", "/partenariats/partenariat-a/conseil/composer/", {}),
    ("coordinator", "/partenariats/partenariat-a/structure/personnel/nouveau/", {}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "url", "data"), WEB_WRITES)
def test_web_writes_refuse_with_the_reason(
    client_for: Any, terminated: World, role: str, url: str, data: dict[str, str]
) -> None:
    if "parties" in url:
        data = {**data, "organization": str(AssociationFactory().pk)}
    parties = Party.objects.count()
    response = client_for(role).post(url, data)
    assert response.status_code == 403, (url, response.status_code)
    assert MESSAGE in response.content.decode()
    assert Party.objects.count() == parties
    terminated.a.refresh_from_db()
    assert terminated.a.title == "Partenariat A" and terminated.a.status == TERMINATED


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/partenariats/partenariat-a/",
        "/partenariats/partenariat-a/historique/",
        "/partenariats/partenariat-a/finances/",
        "/partenariats/partenariat-a/plan/",
        "/partenariats/partenariat-a/reunions/",
        "/partenariats/partenariat-a/convention/",
        "/partenariats/partenariat-a/conseil/",
        "/partenariats/partenariat-a/structure/",
    ],
)
def test_reads_still_work(client_for: Any, terminated: World, url: str) -> None:
    response = client_for("coordinator").get(url)
    assert response.status_code == 200, url


@pytest.mark.django_db
def test_the_overview_offers_no_write(client_for: Any, terminated: World) -> None:
    html = client_for("officer").get("/partenariats/partenariat-a/").content.decode()
    assert "/parties/ajouter/" not in html and "Changer de statut" not in html


def _api(world: World, role: str) -> Client:
    _token, raw = ApiToken.issue(user=world.user(role), name="tests")
    return Client(headers={"Authorization": f"Bearer {raw}"})


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("patch", "/api/partnerships/partenariat-a", {"title": "X"}),
        ("post", "/api/partnerships/partenariat-a/transitions", {"to_status": "active"}),
        ("post", "/api/finance/partnerships/partenariat-a/expenses",
         {"date": "2026-01-05", "amount": "10.00", "supplier": "X", "activity_id": 1,
          "line_id": 1}),
        ("post", "/api/planning/partnerships/partenariat-a/plans",
         {"title": "P", "period_start": "2026-01-01", "period_end": "2026-12-31"}),
    ],
)  # fmt: skip
def test_api_writes_refuse_with_the_reason(
    terminated: World, method: str, url: str, body: dict[str, str]
) -> None:
    response = getattr(_api(terminated, "officer"), method)(
        url, data=body, content_type="application/json"
    )
    assert response.status_code == 403, (url, response.content)
    assert MESSAGE in response.json()["detail"]


@pytest.mark.django_db
def test_api_reads_still_work(terminated: World) -> None:
    client = _api(terminated, "officer")
    assert client.get("/api/partnerships/partenariat-a").status_code == 200
    assert client.get("/api/finance/partnerships/partenariat-a/expenses").status_code == 200


@pytest.mark.django_db
def test_the_command_line_import_refuses(terminated: World, tmp_path: Path) -> None:
    path = tmp_path / "expenses.csv"
    path.write_text("date;montant\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = finance_cli.import_expenses(
        "partenariat-a", str(path), template=False, stdout=out, stderr=err
    )
    assert code == 2 and MESSAGE in err.getvalue() and err.getvalue().count("\n") == 1


@pytest.mark.django_db
def test_the_admin_shows_but_does_not_change_a_terminated_partnership_board(
    client_for: Any, terminated: World
) -> None:
    from django.contrib.auth import get_user_model

    board = Board.objects.get(partnership=terminated.a)
    root = get_user_model().objects.create_superuser("root", "root@example.org", "x-Pass-2026!")
    client = sign_in(Client(), root)
    url = f"/admin/governance/board/{board.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.post(url, {"name": "Autre"}).status_code == 403
    board.refresh_from_db()
    assert board.name != "Autre"
    assert (
        client.post(f"/admin/governance/board/{board.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert Board.objects.filter(pk=board.pk).exists()
