from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from sharaka.core.errors import AccessDenied, DomainError, ValidationFailed
from sharaka.directory.models import Organization
from sharaka.finance import controls, selectors, services
from sharaka.finance.models import Expense
from tests.factories import OrganizationFactory
from tests.finance.conftest import FinWorld, receipt
from tests.planning.conftest import make_decision


def _code(error: pytest.ExceptionInfo[DomainError]) -> str:
    return error.value.code


def test_expense_outside_the_activity_period_is_stopped_and_explained(fw: FinWorld) -> None:
    with pytest.raises(DomainError) as caught:
        fw.record(day=date(2025, 7, 15))
    assert _code(caught) == "expense_outside_activity_period"
    assert caught.value.field == "date"
    assert "hors de la période de l'activité A1.1" in caught.value.message


def test_expense_before_the_plan_is_adopted_is_stopped(fw: FinWorld) -> None:
    with pytest.raises(DomainError) as caught:
        fw.record(day=date(2025, 2, 15))  # plan adopted on 2025-03-01
    assert _code(caught) == "expense_no_plan_in_force"
    assert "Aucun plan d'action adopté" in caught.value.message


def test_line_must_belong_to_the_activity(fw: FinWorld) -> None:
    fields = {
        "date": date(2025, 4, 1),
        "amount": Decimal(10),
        "supplier": "X",
        "activity": fw.a1,
        "line": fw.staff2,
    }
    with pytest.raises(DomainError) as caught:
        services.expense_record(by=fw.w.coordinator, partnership=fw.w.a, fields=fields)
    assert _code(caught) == "expense_line_not_of_activity"
    assert "n'appartient pas à l'activité A1.1" in caught.value.message


def test_activity_must_be_of_the_plan_in_force(fw: FinWorld) -> None:
    from sharaka.planning import services as planning

    draft = planning.plan_version_revise(by=fw.w.coordinator, version=fw.pw.version)
    draft_activity = draft.activities.get(code="A1.1")
    fields = {
        "date": date(2025, 4, 1),
        "amount": Decimal(10),
        "supplier": "X",
        "activity": draft_activity,
        "line": draft_activity.lines.first(),
    }
    with pytest.raises(DomainError) as caught:
        services.expense_record(by=fw.w.coordinator, partnership=fw.w.a, fields=fields)
    assert _code(caught) == "expense_activity_not_in_plan"
    assert "n'appartient pas au plan d'action en vigueur" in caught.value.message


def test_amount_must_be_positive_and_currency_the_plans(fw: FinWorld) -> None:
    with pytest.raises(ValidationFailed):
        fw.record("0")
    with pytest.raises(ValidationFailed):
        fw.record("-5")
    with pytest.raises(DomainError) as caught:
        fw.record(currency="EUR")
    assert _code(caught) == "expense_currency_mismatch"


def test_missing_document_is_a_warning(fw: FinWorld) -> None:
    expense = fw.record(document=False)
    found = controls.findings_of(selectors.expense_get(partnership=fw.w.a, expense_id=expense.pk))
    assert [f.control for f in found] == ["expense_missing_document"]
    assert not found[0].blocking
    assert "Pièce justificative manquante" in controls.message(found[0])
    services.expense_document_attach(by=fw.w.coordinator, expense=expense, document=receipt())
    assert Expense.objects.get(pk=expense.pk).document


def test_bad_document_is_refused(fw: FinWorld) -> None:
    with pytest.raises(DomainError) as caught:
        services.expense_record(
            by=fw.w.coordinator,
            partnership=fw.w.a,
            fields={
                "date": date(2025, 4, 1),
                "amount": Decimal(1),
                "supplier": "X",
                "activity": fw.a1,
                "line": fw.staff,
            },
            document=receipt("virus.exe", b"MZ..."),
        )
    assert _code(caught) == "expense_bad_document"


def test_workflow_and_roles(fw: FinWorld) -> None:
    w = fw.w
    expense = fw.record(by=w.coordinator)
    with pytest.raises(DomainError) as caught:
        services.expense_approve(by=w.treasurer, expense=expense)
    assert _code(caught) == "expense_transition_not_allowed"
    with pytest.raises(AccessDenied):
        services.expense_check(by=w.treasurer, expense=expense)
    with pytest.raises(AccessDenied):
        services.expense_check(by=w.board_member, expense=expense)
    services.expense_check(by=w.officer, expense=expense)
    with pytest.raises(AccessDenied):
        services.expense_approve(by=w.coordinator, expense=expense)
    approved = services.expense_approve(by=w.treasurer, expense=expense)
    assert approved.status == "approved" and approved.approved_by == w.treasurer
    with pytest.raises(AccessDenied):
        services.expense_pay(by=w.coordinator, expense=approved)
    paid = services.expense_pay(by=w.officer, expense=approved)
    assert paid.status == "paid"


def test_nobody_approves_an_expense_they_recorded(fw: FinWorld) -> None:
    expense = fw.record(by=fw.w.treasurer)
    services.expense_check(by=fw.w.coordinator, expense=expense)
    with pytest.raises(DomainError) as caught:
        services.expense_approve(by=fw.w.treasurer, expense=expense)
    assert _code(caught) == "expense_own_approval"
    services.expense_approve(by=fw.w.admin, expense=expense)


def test_approved_expense_is_never_edited_or_deleted(fw: FinWorld) -> None:
    expense = fw.approved()
    with pytest.raises(DomainError) as caught:
        services.expense_update(by=fw.w.coordinator, expense=expense, fields={"supplier": "Y"})
    assert _code(caught) == "expense_frozen"
    with pytest.raises(DomainError):
        services.expense_delete(by=fw.w.coordinator, expense=expense)
    stored = Expense.objects.get(pk=expense.pk)
    stored.amount = Decimal(1)
    with pytest.raises(DomainError):
        stored.save()
    with pytest.raises(DomainError):
        stored.delete()
    # a recorded one may still be corrected or deleted
    draft = fw.record()
    services.expense_update(by=fw.w.coordinator, expense=draft, fields={"supplier": "Z"})
    services.expense_delete(by=fw.w.coordinator, expense=draft)


def test_reversing_entry(fw: FinWorld) -> None:
    expense = fw.approved("300.00")
    with pytest.raises(AccessDenied):
        services.expense_reverse(by=fw.w.coordinator, expense=expense, reason="erreur")
    reversal = services.expense_reverse(by=fw.w.treasurer, expense=expense, reason="doublon")
    assert reversal.amount == Decimal("-300.00") and reversal.reverses_id == expense.pk
    assert reversal.status == "approved"
    with pytest.raises(DomainError) as caught:
        services.expense_reverse(by=fw.w.treasurer, expense=expense, reason="encore")
    assert _code(caught) == "expense_already_reversed"
    with pytest.raises(DomainError):
        services.expense_reverse(by=fw.w.treasurer, expense=reversal, reason="x")
    budget = selectors.budget_summary_get(partnership=fw.w.a, at=date(2025, 4, 1))
    assert budget.total.spent == 0
    not_approved = fw.record()
    with pytest.raises(DomainError) as caught:
        services.expense_reverse(by=fw.w.treasurer, expense=not_approved, reason="x")
    assert _code(caught) == "expense_not_reversible"


def test_overrun_beyond_tolerance_waits_for_a_board_decision(fw: FinWorld) -> None:
    fw.approved("1000.00")  # line planned 1000, tolerance 10 %: ceiling 1100
    fw.approved("100.00")  # exactly at the ceiling
    over = fw.record("50.00")
    services.expense_check(by=fw.w.coordinator, expense=over)
    with pytest.raises(DomainError) as caught:
        services.expense_approve(by=fw.w.treasurer, expense=over)
    assert _code(caught) == "expense_line_overrun"
    assert "décision du conseil" in caught.value.message
    budget = selectors.budget_summary_get(partnership=fw.w.a, at=date(2025, 4, 1))
    assert [row.line_id for row in budget.overruns] == [fw.staff.pk]
    other = make_decision(fw.w.b, "other", on=date(2025, 4, 2))
    with pytest.raises(DomainError):
        services.overrun_authorise(
            by=fw.w.coordinator,
            partnership=fw.w.a,
            line=fw.staff,
            decision=other,
            amount=Decimal(50),
        )
    decision = make_decision(fw.w.a, "other", on=date(2025, 4, 2), title="Dépassement")
    services.overrun_authorise(
        by=fw.w.coordinator,
        partnership=fw.w.a,
        line=fw.staff,
        decision=decision,
        amount=Decimal(50),
    )
    assert services.expense_approve(by=fw.w.treasurer, expense=over).status == "approved"


def test_contributions_and_shares(fw: FinWorld) -> None:
    w = fw.w
    authority = w.a.lead_authority
    from sharaka.partnerships.models import Party

    Party.objects.get_or_create(partnership=w.a, organization=authority, role="lead")
    services.contribution_create(
        by=w.treasurer,
        partnership=w.a,
        fields={
            "organization": authority,
            "year": 2025,
            "kind": "cash",
            "pledged": Decimal(300),
            "received": Decimal(100),
        },
    )
    services.contribution_create(
        by=w.coordinator,
        partnership=w.a,
        fields={
            "organization": fw.pw.association,
            "year": 2025,
            "kind": "in_kind",
            "in_kind_type": "premises",
            "valuation_method": "market",
            "pledged": Decimal(100),
            "valuation_note": "loyer du marché",
        },
    )
    with pytest.raises(ValidationFailed):
        services.contribution_create(
            by=w.coordinator,
            partnership=w.a,
            fields={
                "organization": fw.pw.association,
                "year": 2025,
                "kind": "in_kind",
                "pledged": Decimal(1),
            },
        )
    stranger = OrganizationFactory(name="Pas partie")
    with pytest.raises(DomainError) as caught:
        services.contribution_create(
            by=w.coordinator,
            partnership=w.a,
            fields={"organization": stranger, "year": 2025, "kind": "cash", "pledged": Decimal(1)},
        )
    assert caught.value.code == "contribution_not_a_party"
    with pytest.raises(AccessDenied):
        services.contribution_create(
            by=w.auditor,
            partnership=w.a,
            fields={"organization": authority, "year": 2025, "kind": "cash", "pledged": Decimal(1)},
        )
    shares = selectors.contribution_shares_get(w.a)
    assert shares is not None
    assert shares[authority.pk] == pytest.approx(0.75)
    summary = selectors.contribution_summary_get(partnership=w.a)
    assert summary.public_share is not None and float(summary.public_share) == 0.75
    assert selectors.contribution_shares_get(w.b) is None
    assert isinstance(Organization.objects.get(pk=authority.pk).kind, str)
    # governance's board page reads them through its own selector
    from sharaka.governance.selectors import contribution_shares_get

    assert contribution_shares_get(w.a) == shares


def test_receipt_size_limit_is_configurable(fw: FinWorld, settings: Any) -> None:
    fields = {"date": date(2025, 4, 1), "amount": Decimal(1), "supplier": "X",
              "activity": fw.a1, "line": fw.staff}  # fmt: skip
    settings.SHARAKA_MAX_UPLOAD_MB = 12
    big = receipt("gros.pdf", b"%PDF-1.4" + b"0" * (11 * 1024 * 1024))
    expense = services.expense_record(
        by=fw.w.coordinator, partnership=fw.w.a, fields=fields, document=big
    )
    assert expense.document
    settings.SHARAKA_MAX_UPLOAD_MB = 0.01
    with pytest.raises(DomainError) as caught:
        services.expense_record(
            by=fw.w.coordinator,
            partnership=fw.w.a,
            fields=fields,
            document=receipt("b.pdf", b"%PDF-1.4" + b"0" * 20_000),
        )
    assert _code(caught) == "expense_bad_document" and caught.value.field == "document"
    assert "Pièce justificative : fichier trop lourd" in caught.value.message
