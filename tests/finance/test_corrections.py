"""Correcting the accounts before approval: an expense not yet approved is edited or
deleted (page and API), a contribution is deleted; an approved expense is refused with a
message saying how it is corrected instead (a reversal). The history keeps every change."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sharaka.accounts.models import ApiToken
from sharaka.finance import services
from sharaka.finance.models import Contribution, Expense
from tests.conftest import ROLES
from tests.finance.conftest import FinWorld
from tests.planning.conftest import PlanWorld

VIEWERS = {"admin", "officer", "coordinator", "board_member", "treasurer", "auditor"}
RECORDERS = {"admin", "officer", "coordinator", "treasurer"}
BASE = "/api/finance/partnerships/partenariat-a"
FROZEN_TEXT = "Une dépense approuvée ne se modifie ni ne se supprime"


def url(name: str, **kw: Any) -> str:
    return reverse(f"finance:{name}", kwargs={"slug": "partenariat-a", **kw})


def expected(role: str) -> int:
    return 200 if role in RECORDERS else 403 if role in VIEWERS else 404


def _form(fw: FinWorld, **kw: Any) -> dict[str, Any]:
    return {
        "date": "2025-04-02", "amount": "80.00", "currency": "MAD", "supplier": "Nouveau",
        "reference": "F-2", "line": fw.ops.pk, "description": "corrigée",
    } | kw  # fmt: skip


@pytest.fixture
def api_for(fw: FinWorld) -> Any:
    def make(role: str) -> Client:
        _token, raw = ApiToken.issue(user=fw.w.user(role), name="tests", scope="write")
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return make


def _contribution(fw: FinWorld) -> Contribution:
    return services.contribution_create(
        by=fw.w.coordinator, partnership=fw.w.a,
        fields={"organization": fw.pw.association, "year": 2025, "kind": "cash",
                "pledged": Decimal("10"), "received": Decimal("0")},
    )  # fmt: skip


# --- Pages -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_who_opens_the_edit_and_delete_pages(fw: FinWorld, client_for: Any, role: str) -> None:
    expense = fw.record()
    client = client_for(role)
    assert client.get(url("expense_edit", pk=expense.pk)).status_code == expected(role)
    assert client.get(url("expense_delete", pk=expense.pk)).status_code == expected(role)
    page = client.get(url("expense", pk=expense.pk))
    if role in VIEWERS:
        shown = url("expense_edit", pk=expense.pk) in page.content.decode()
        assert shown is (role in RECORDERS), role


@pytest.mark.parametrize("role", sorted(VIEWERS - RECORDERS))
def test_who_may_not_edit_or_delete_changes_nothing(
    fw: FinWorld, client_for: Any, role: str
) -> None:
    expense = fw.record()
    client = client_for(role)
    assert client.post(url("expense_edit", pk=expense.pk), _form(fw)).status_code == 403
    assert client.post(url("expense_delete", pk=expense.pk)).status_code == 403
    expense.refresh_from_db()
    assert expense.supplier == "Fournisseur"


def test_editing_an_expense_through_its_page(fw: FinWorld, client_for: Any) -> None:
    expense = fw.record(document=False)
    services.expense_check(by=fw.w.officer, expense=expense)
    client = client_for("coordinator")
    form = client.get(url("expense_edit", pk=expense.pk))
    assert 'value="Fournisseur"' in form.content.decode()
    response = client.post(url("expense_edit", pk=expense.pk), _form(fw))
    assert response.status_code == 302
    assert response["Location"] == url("expense", pk=expense.pk)
    expense.refresh_from_db()
    assert (expense.supplier, expense.amount, expense.line_id) == (
        "Nouveau",
        Decimal("80"),
        fw.ops.pk,
    )
    # what was checked changed: it is checked again before approval
    assert expense.status == "recorded" and expense.checked_by is None
    page = client.get(response["Location"]).content.decode()
    assert "Dépense modifiée." in page
    assert "Historique" in page and "Modification" in page
    assert expense.history.filter(history_type="~").first().history_user == fw.w.coordinator


def test_a_control_refuses_an_edit_on_its_field(fw: FinWorld, client_for: Any) -> None:
    expense = fw.record()
    response = client_for("coordinator").post(
        url("expense_edit", pk=expense.pk), _form(fw, date="2025-07-20")
    )
    assert response.status_code == 200
    assert "date" in response.context["form"].errors
    expense.refresh_from_db()
    assert expense.supplier == "Fournisseur"


def test_deleting_an_expense_through_its_page(fw: FinWorld, client_for: Any) -> None:
    expense = fw.record()
    client = client_for("treasurer")
    question = client.get(url("expense_delete", pk=expense.pk)).content.decode()
    assert "Fournisseur" in question and "Supprimer la dépense" in question
    response = client.post(url("expense_delete", pk=expense.pk))
    assert response.status_code == 302 and response["Location"] == url("expenses")
    assert not Expense.objects.filter(pk=expense.pk).exists()
    deleted = Expense.history.get(id=expense.pk, history_type="-")
    assert deleted.history_user == fw.w.treasurer and deleted.supplier == "Fournisseur"


def test_an_approved_expense_is_refused_with_what_to_do_instead(
    fw: FinWorld, client_for: Any
) -> None:
    expense = fw.approved()
    client = client_for("coordinator")
    page = client.get(url("expense", pk=expense.pk)).content.decode()
    assert url("expense_edit", pk=expense.pk) not in page
    assert url("expense_delete", pk=expense.pk) not in page
    assert "elle se corrige par une écriture d'annulation" in page
    edit = client.post(url("expense_edit", pk=expense.pk), _form(fw))
    assert edit.status_code == 200
    assert FROZEN_TEXT in edit.content.decode()
    delete = client.post(url("expense_delete", pk=expense.pk))
    assert delete.status_code == 200
    assert FROZEN_TEXT in delete.content.decode()
    expense.refresh_from_db()
    assert expense.supplier == "Fournisseur" and expense.status == "approved"


def test_a_reversal_refused_on_an_unapproved_expense_says_what_is_possible(
    fw: FinWorld, client_for: Any
) -> None:
    expense = fw.record()
    response = client_for("treasurer").post(url("expense_reverse", pk=expense.pk), {"reason": "x"})
    assert response.status_code == 200
    assert "se modifie ou se supprime depuis sa fiche" in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_who_deletes_a_contribution(fw: FinWorld, client_for: Any, role: str) -> None:
    contribution = _contribution(fw)
    client = client_for(role)
    assert client.get(url("contribution_delete", pk=contribution.pk)).status_code == expected(role)
    response = client.post(url("contribution_delete", pk=contribution.pk))
    assert response.status_code == (302 if role in RECORDERS else expected(role))
    assert Contribution.objects.filter(pk=contribution.pk).exists() is (role not in RECORDERS)


def test_deleting_a_contribution_keeps_its_history(fw: FinWorld, client_for: Any) -> None:
    contribution = _contribution(fw)
    client = client_for("coordinator")
    assert (
        url("contribution_delete", pk=contribution.pk)
        in client.get(url("contributions")).content.decode()
    )
    client.post(url("contribution_delete", pk=contribution.pk))
    deleted = Contribution.history.get(id=contribution.pk, history_type="-")
    assert deleted.history_user == fw.w.coordinator and deleted.pledged == Decimal("10.00")


# --- Service ---------------------------------------------------------------------------------


def test_an_edit_that_changes_nothing_keeps_the_check(fw: FinWorld) -> None:
    expense = services.expense_check(by=fw.w.officer, expense=fw.record())
    services.expense_update(
        by=fw.w.coordinator, expense=expense, fields={"supplier": "Fournisseur"}
    )
    expense.refresh_from_db()
    assert expense.status == "checked"


def test_moving_an_expense_to_another_year_moves_its_year(pw: PlanWorld) -> None:
    activity = pw.activity("A2", start_date=date(2025, 3, 1), end_date=date(2026, 12, 31))
    line = pw.line(activity, amounts={2025: Decimal("500"), 2026: Decimal("500")})
    pw.adopt()
    expense = services.expense_record(
        by=pw.w.coordinator, partnership=pw.w.a,
        fields={"date": date(2026, 2, 1), "amount": Decimal("10"), "supplier": "S",
                "activity": activity, "line": line},
    )  # fmt: skip
    assert expense.year == 2026
    services.expense_update(
        by=pw.w.coordinator, expense=expense, fields={"date": date(2025, 12, 30)}
    )
    expense.refresh_from_db()
    assert (expense.date, expense.year) == (date(2025, 12, 30), 2025)


# --- API -------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_who_patches_and_deletes_an_expense(fw: FinWorld, api_for: Any, role: str) -> None:
    expense = fw.record()
    client = api_for(role)
    patched = client.patch(
        f"{BASE}/expenses/{expense.pk}", {"supplier": "Corrigé"}, content_type="application/json"
    )
    assert patched.status_code == expected(role), patched.content
    if role in RECORDERS:
        assert patched.json()["supplier"] == "Corrigé"
    else:
        assert patched["Content-Type"] == "application/problem+json"
    deleted = client.delete(f"{BASE}/expenses/{expense.pk}")
    assert deleted.status_code == (204 if role in RECORDERS else expected(role))
    assert Expense.objects.filter(pk=expense.pk).exists() is (role not in RECORDERS)


def test_patch_changes_only_what_is_sent_and_checks_it_again(fw: FinWorld, api_for: Any) -> None:
    expense = fw.record()
    client = api_for("coordinator")
    moved = client.patch(
        f"{BASE}/expenses/{expense.pk}",
        {"line_id": fw.staff2.pk, "activity_id": fw.a2.pk, "amount": "99.50"},
        content_type="application/json",
    )
    assert moved.status_code == 200, moved.content
    body = moved.json()
    assert (body["line_id"], body["activity_code"], body["amount"]) == (
        fw.staff2.pk,
        "A1.2",
        "99.50",
    )
    assert body["supplier"] == "Fournisseur"
    mismatch = client.patch(
        f"{BASE}/expenses/{expense.pk}", {"line_id": fw.staff.pk}, content_type="application/json"
    )
    assert mismatch.status_code == 409 and mismatch.json()["code"] == "expense_line_not_of_activity"


def test_patch_refuses_null_and_lines_of_other_partnerships(fw: FinWorld, api_for: Any) -> None:
    expense = fw.record()
    client = api_for("coordinator")
    null = client.patch(
        f"{BASE}/expenses/{expense.pk}", {"supplier": None}, content_type="application/json"
    )
    assert null.status_code == 422
    unknown = client.patch(
        f"{BASE}/expenses/{expense.pk}", {"line_id": 10**9}, content_type="application/json"
    )
    assert unknown.status_code == 404


def test_an_approved_expense_is_refused_by_the_api(fw: FinWorld, api_for: Any) -> None:
    expense = fw.approved()
    client = api_for("treasurer")
    patched = client.patch(
        f"{BASE}/expenses/{expense.pk}", {"supplier": "X"}, content_type="application/json"
    )
    deleted = client.delete(f"{BASE}/expenses/{expense.pk}")
    for response in (patched, deleted):
        assert response.status_code == 409
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["code"] == "expense_frozen"
        assert FROZEN_TEXT in response.json()["detail"]
    assert Expense.objects.get(pk=expense.pk).supplier == "Fournisseur"


def test_an_expense_of_another_partnership_is_404(fw: FinWorld, api_for: Any) -> None:
    expense = fw.record()
    client = api_for("other_officer")
    other = "/api/finance/partnerships/partenariat-b"
    assert client.delete(f"{other}/expenses/{expense.pk}").status_code == 404
    assert Expense.objects.filter(pk=expense.pk).exists()


@pytest.mark.parametrize("role", ROLES)
def test_who_deletes_a_contribution_through_the_api(fw: FinWorld, api_for: Any, role: str) -> None:
    contribution = _contribution(fw)
    response = api_for(role).delete(f"{BASE}/contributions/{contribution.pk}")
    assert response.status_code == (204 if role in RECORDERS else expected(role))
    assert Contribution.objects.filter(pk=contribution.pk).exists() is (role not in RECORDERS)
