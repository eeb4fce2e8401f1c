"""Closure services: the start of a termination recorded with the lifecycle move, the daily
expiry, the wind-down items, the final accounts (append-only), the end of the lifecycle."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from sharaka.closure import lifecycle, selectors, services
from sharaka.closure.models import Evidence, FinalAccounts, FinalShare, Termination, WindDownItem
from sharaka.core import scheduler
from sharaka.core.errors import AccessDenied, DomainError
from sharaka.partnerships import selectors as partnership_selectors
from sharaka.partnerships import services as partnership_services
from sharaka.partnerships.models import StatusTransition
from tests.closure.conftest import ClosureWorld, pdf

pytestmark = pytest.mark.django_db


def test_notice_starts_the_wind_down_with_the_move_recording_who_when_why(
    cw: ClosureWorld,
) -> None:
    termination = cw.start(document=pdf("preavis.pdf"))
    cw.a.refresh_from_db()
    assert cw.a.status == "terminating"
    assert termination.notice_days == 180  # the convention's termination clause
    assert termination.effective_date == date(2026, 1, 15) + timedelta(days=180)
    move = termination.transition
    assert move is not None and move.by == cw.w.officer and move.to_status == "terminating"
    assert cw.decision.number in move.note and "180 jours" in move.note
    assert termination.document_name == "preavis.pdf"
    kinds = [item.kind for item in cw.items()]
    assert kinds == ["asset", "staff", "contribution", "final_accounts", "documents"]
    assert "400.00" in cw.items()[2].subject and cw.items()[2].owner == cw.association
    assert lifecycle.closure_facts(cw.a) == ("notice", False, False)


@pytest.mark.parametrize(
    ("extra", "field"),
    [({"decision": None}, "decision"), ({"ground": "nonsense"}, "ground"),
     ({"document": pdf("x.txt")}, "document")],
)  # fmt: skip
def test_refused_start_changes_nothing(cw: ClosureWorld, extra: dict, field: str) -> None:
    with pytest.raises(DomainError) as error:
        cw.start(**extra)
    assert error.value.field == field
    cw.a.refresh_from_db()
    assert cw.a.status == "active"
    assert not Termination.objects.exists() and not WindDownItem.objects.exists()
    assert not StatusTransition.objects.filter(partnership=cw.a).exists()


def test_a_refused_move_records_no_termination(cw: ClosureWorld) -> None:
    type(cw.a).objects.filter(pk=cw.a.pk).update(status="negotiation")
    cw.a.status = "negotiation"
    with pytest.raises(DomainError):
        cw.start()
    assert not Termination.objects.exists() and not WindDownItem.objects.exists()


@pytest.mark.parametrize("role", ["coordinator", "board_member", "treasurer", "auditor"])
def test_only_the_authority_starts_a_termination(cw: ClosureWorld, role: str) -> None:
    with pytest.raises(AccessDenied):
        services.termination_start(
            by=cw.w.user(role), partnership=cw.a, ground="agreement",
            notice_on=date(2026, 1, 15), reason="x", decision=cw.decision,
        )  # fmt: skip
    assert not Termination.objects.exists()


def test_expiry_is_started_by_the_daily_job_on_the_end_date(cw: ClosureWorld) -> None:
    assert "closure.expire_due" in [job.name for job in scheduler.jobs()]
    assert selectors.convention_end_get(partnership=cw.a) == date(2028, 1, 1)
    assert services.expire_due(today=date(2027, 12, 31)) == []
    assert services.expire_due(today=date(2028, 1, 1)) == [cw.a.slug]
    cw.a.refresh_from_db()
    termination = Termination.objects.get(partnership=cw.a)
    assert cw.a.status == "terminating" and termination.ground == "expiry"
    assert termination.effective_date == date(2028, 1, 1) and termination.decision is None
    move = termination.transition
    assert move is not None and move.by is None and "Expiration" in move.note
    assert WindDownItem.objects.filter(partnership=cw.a).count() == 5
    assert services.expire_due(today=date(2028, 1, 2)) == []  # once


def test_expiry_through_the_scheduler(cw: ClosureWorld, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services.timezone, "localdate", lambda: date(2028, 3, 1))
    assert "closure.expire_due" in scheduler.run_due()
    cw.a.refresh_from_db()
    assert cw.a.status == "terminating"


def test_without_a_convention_in_force_the_partnership_end_date_counts(cw: ClosureWorld) -> None:
    b = cw.w.b
    type(b).objects.filter(pk=b.pk).update(status="active", end_date=date(2026, 6, 30))
    b.refresh_from_db()
    assert selectors.convention_end_get(partnership=b) == date(2026, 7, 1)
    assert services.expire_due(today=date(2026, 6, 30)) == []
    assert services.expire_due(today=date(2026, 7, 1)) == [b.slug]
    b.refresh_from_db()
    assert b.status == "terminating"


def test_items_are_settled_with_a_disposition_and_evidence(cw: ClosureWorld) -> None:
    cw.start()
    asset = cw.items()[0]
    with pytest.raises(DomainError) as error:
        services.item_update(by=cw.w.coordinator, item=asset, fields={"status": "done"})
    assert error.value.field == "disposition"
    services.item_update(
        by=cw.w.coordinator, item=asset, fields={"status": "done", "disposition": "returned",
                                                 "notes": "PV de remise"},
        evidence=pdf("pv.pdf"), evidence_title="PV de remise",
    )  # fmt: skip
    asset.refresh_from_db()
    assert asset.status == "done" and asset.closed_by == cw.w.coordinator
    assert Evidence.objects.get().title == "PV de remise"
    accounts_item = cw.items()[3]
    with pytest.raises(DomainError):
        services.item_update(by=cw.w.officer, item=accounts_item, fields={"status": "done"})
    with pytest.raises(DomainError):
        services.item_update(by=cw.w.officer, item=asset, fields={"status": "open"},
                             evidence=pdf("x.exe"))  # fmt: skip
    asset.refresh_from_db()
    assert asset.status == "done" and Evidence.objects.count() == 1


@pytest.mark.parametrize("role", ["board_member", "treasurer", "auditor"])
def test_readers_do_not_settle_items(cw: ClosureWorld, role: str) -> None:
    cw.start()
    with pytest.raises(AccessDenied):
        services.item_update(by=cw.w.user(role), item=cw.items()[0], fields={"notes": "x"})


def test_items_change_only_while_winding_down(cw: ClosureWorld) -> None:
    cw.start()
    item = cw.items()[0]
    type(cw.a).objects.filter(pk=cw.a.pk).update(status="suspended")
    item.partnership.status = "suspended"
    with pytest.raises(DomainError):
        services.item_update(by=cw.w.officer, item=item, fields={"notes": "x"})


def test_final_accounts_share_the_balance_to_the_cent_and_are_append_only(
    cw: ClosureWorld,
) -> None:
    cw.start()
    view = selectors.accounts_get(partnership=cw.a)
    assert (view.received, view.spent, view.balance) == (
        Decimal("3600.00"), Decimal("1333.33"), Decimal("2266.67"),
    )  # fmt: skip
    assert sum(s.amount for s in view.shares) == view.balance
    accounts = services.accounts_approve(by=cw.w.coordinator, partnership=cw.a,
                                         decision=cw.decision)  # fmt: skip
    assert accounts.balance == Decimal("2266.67") and accounts.approved_by == cw.w.coordinator
    assert sum(s.amount for s in FinalShare.objects.filter(accounts=accounts)) == accounts.balance
    assert cw.items()[3].status == "done"
    with pytest.raises(DomainError):
        services.accounts_approve(by=cw.w.officer, partnership=cw.a)
    accounts.balance = Decimal("1")
    with pytest.raises(DomainError):
        accounts.save()
    with pytest.raises(DomainError):
        FinalAccounts.objects.filter(pk=accounts.pk).delete()
    recorded = selectors.accounts_get(partnership=cw.a)
    assert recorded.approved is not None and recorded.balance == Decimal("2266.67")
    # The association partner gets the note of the dahir of 1958, art. 37, before and after.
    assert view.associations == recorded.associations == (cw.association.name,)
    assert "l'État" in view.association_note and "art. 37" in view.association_legal


def test_accounts_are_approved_only_while_winding_down(cw: ClosureWorld) -> None:
    with pytest.raises(DomainError):
        services.accounts_approve(by=cw.w.officer, partnership=cw.a)
    assert not FinalAccounts.objects.exists()


def test_the_partnership_ends_only_when_wound_down_then_is_read_only(cw: ClosureWorld) -> None:
    cw.start()

    def terminate() -> None:
        partnership_services.partnership_transition(
            by=cw.w.officer, partnership=cw.a, to_status="terminated", note="Clôture"
        )

    with pytest.raises(DomainError):
        terminate()
    cw.close_all()
    with pytest.raises(DomainError) as error:
        terminate()
    assert "Comptes de clôture" in str(error.value)
    services.accounts_approve(by=cw.w.officer, partnership=cw.a, decision=cw.decision)
    facts = partnership_selectors.lifecycle_facts_get(partnership=cw.a)
    assert facts.wind_down_closed and facts.final_accounts_approved
    terminate()
    cw.a.refresh_from_db()
    assert cw.a.status == "terminated"
    item = WindDownItem.objects.filter(partnership=cw.a, kind="asset").get()
    item.partnership = cw.a
    # closure records stay open: notes and evidence; reopening is refused as read-only
    services.item_update(by=cw.w.coordinator, item=item, fields={"notes": "Inventaire signé"},
                         evidence=pdf("inventaire.pdf"))  # fmt: skip
    with pytest.raises(AccessDenied) as refused:
        services.item_update(by=cw.w.coordinator, item=item, fields={"status": "open"})
    assert "terminé" in str(refused.value)
    item.refresh_from_db()
    assert item.status == "done" and item.notes == "Inventaire signé"
