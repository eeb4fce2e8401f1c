"""Each check's facts, gathered from the database for one partnership."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sharaka.audit import checks
from sharaka.audit.rules import Code, Record
from sharaka.finance import services as finance
from sharaka.finance.models import Contribution, Expense
from sharaka.partners import services as partners
from sharaka.partners.models import CheckStatus, CriterionKind
from sharaka.partners.selectors import criteria_list
from sharaka.structure.models import Asset, ManagementStructure, StaffAssignment
from tests.audit.conftest import FinWorld, receipt
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 1)


def ids(found: list[Any], code: Code) -> list[tuple[Record, ...]]:
    return [f.records for f in found if f.code is code]


def one(record_type: str, *pks: int) -> tuple[Record, ...]:
    return tuple(Record(record_type, pk) for pk in pks)


def test_outside_plan(fw: FinWorld) -> None:
    fine = fw.record()
    moved = fw.record()
    # An expense whose date was moved before the plan's adoption (2025-03-01), past the
    # services (raw: they refuse it)
    Expense._base_manager.filter(pk=moved.pk).update(date=date(2025, 2, 15))
    wrong_line = fw.record()
    Expense._base_manager.filter(pk=wrong_line.pk).update(line=fw.staff2)
    found = checks.outside_plan(fw.w.a, TODAY)
    assert ids(found, Code.OUTSIDE_PLAN) == [
        one("expense", moved.pk),
        one("expense", wrong_line.pk),
    ]
    assert fine.pk not in [r.id for f in found for r in f.records]


def test_line_overrun_counts_committed_expenses(fw: FinWorld) -> None:
    fw.approved("1000.00")
    assert checks.line_overrun(fw.w.a, TODAY) == []
    fw.record("100.01")  # recorded: 1100.01 used on a ceiling of 1000 x 1.1
    [finding] = checks.line_overrun(fw.w.a, TODAY)
    assert finding.records == one("budget_line", fw.staff.pk)
    assert dict(finding.params)["excess"] == "0.01"


def test_missing_receipt(fw: FinWorld) -> None:
    fw.record()
    bare = fw.record(document=False)
    assert ids(checks.missing_receipt(fw.w.a, TODAY), Code.MISSING_RECEIPT) == [
        one("expense", bare.pk)
    ]


def test_receipt_attached_after_payment(fw: FinWorld) -> None:
    on_time = fw.approved()
    finance.expense_pay(by=fw.w.treasurer, expense=on_time)
    late = fw.approved(document=False)
    late = finance.expense_pay(by=fw.w.treasurer, expense=late)
    Expense._base_manager.filter(pk=late.pk).update(paid_at=timezone.now() - timedelta(days=2))
    late.refresh_from_db()
    finance.expense_document_attach(by=fw.w.coordinator, expense=late, document=receipt())
    assert ids(checks.receipt_after_payment(fw.w.a, TODAY), Code.RECEIPT_AFTER_PAYMENT) == [
        one("expense", late.pk)
    ]


def test_duplicate(fw: FinWorld) -> None:
    a = fw.record("250.00", reference="FAC-7", supplier="Atlas SARL")
    b = fw.record(
        "250.00", reference="FAC-7", supplier="ATLAS SARL", line=fw.ops, confirm_duplicate=True
    )
    fw.record("250.00", reference="FAC-8", supplier="Atlas SARL")
    fw.record("251.00", reference="FAC-7", supplier="Atlas SARL")
    fw.record("250.00", reference="", supplier="Atlas SARL")
    fw.record("250.00", reference="", supplier="Atlas SARL")
    assert ids(checks.duplicate(fw.w.a, TODAY), Code.DUPLICATE) == [one("expense", a.pk, b.pk)]


def test_a_reversed_duplicate_is_no_longer_one(fw: FinWorld) -> None:
    fw.approved("250.00", reference="FAC-7")
    twice = fw.approved("250.00", reference="FAC-7", confirm_duplicate=True)
    assert len(checks.duplicate(fw.w.a, TODAY)) == 1
    finance.expense_reverse(by=fw.w.treasurer, expense=twice, reason="Saisie en double")
    assert checks.duplicate(fw.w.a, TODAY) == []
    assert checks.self_approved(fw.w.a, TODAY) == []  # the reversal's author approves it


def test_self_approved(fw: FinWorld) -> None:
    fine = fw.approved()
    mine = fw.approved()
    Expense._base_manager.filter(pk=mine.pk).update(approved_by=fw.w.coordinator)
    found = checks.self_approved(fw.w.a, TODAY)
    assert ids(found, Code.SELF_APPROVED) == [one("expense", mine.pk)]
    assert fine.pk != mine.pk


def _contribution(fw: FinWorld, **fields: Any) -> Contribution:
    values: dict[str, Any] = {
        "partnership": fw.w.a, "organization": fw.w.a.lead_authority, "year": 2025,
        "kind": "cash", "pledged": Decimal("1000"), "received": Decimal("0"),
    }  # fmt: skip
    return Contribution.objects.create(**(values | fields))


def test_contributions_overdue_and_in_kind_unvalued(fw: FinWorld) -> None:
    late = _contribution(fw)
    _contribution(fw, year=2026)  # not due before the end of 2026
    _contribution(fw, year=2024, received=Decimal("1000"))
    unvalued = _contribution(
        fw, kind="in_kind", in_kind_type="premises", valuation_method="market",
        pledged=Decimal("0"),
    )  # fmt: skip
    _contribution(
        fw, kind="in_kind", in_kind_type="premises", valuation_method="market",
        valuation_note="Loyer du marché", pledged=Decimal("0"),
    )  # fmt: skip
    assert ids(checks.contribution_overdue(fw.w.a, TODAY), Code.CONTRIBUTION_OVERDUE) == [
        one("contribution", late.pk)
    ]
    assert ids(checks.in_kind_unvalued(fw.w.a, TODAY), Code.IN_KIND_UNVALUED) == [
        one("contribution", unvalued.pk)
    ]


def test_staff_shares_across_partnerships(fw: FinWorld) -> None:
    w = fw.w
    here = ManagementStructure.objects.create(partnership=w.a, kind="light")
    there = ManagementStructure.objects.create(partnership=w.b, kind="light")
    person, other = PersonFactory(), PersonFactory()

    def assign(structure: Any, who: Any, share: str) -> StaffAssignment:
        return StaffAssignment.objects.create(
            structure=structure, person=who, role="coordinator", time_share=Decimal(share),
            origin_organization=w.a.lead_authority, start_date=date(2025, 1, 1),
        )  # fmt: skip

    mine = assign(here, person, "60")
    theirs = assign(there, person, "50")
    assign(here, other, "100")
    found = checks.staff_overbooked(w.a, TODAY)
    assert ids(found, Code.STAFF_OVERBOOKED) == [one("staff_assignment", mine.pk, theirs.pk)]
    assert checks.staff_overbooked(w.b, TODAY)[0].records == found[0].records


def test_assets_without_location(fw: FinWorld) -> None:
    org = fw.w.a.lead_authority

    def asset(name: str, location: str) -> Asset:
        return Asset.objects.create(
            partnership=fw.w.a, kind="equipment", name=name, owner=org, provided_by=org,
            value=Decimal("10"), location=location,
        )  # fmt: skip

    asset("Tracteur", "Dépôt communal")
    bare = asset("Bus", "")
    assert ids(checks.asset_unlocated(fw.w.a, TODAY), Code.ASSET_UNLOCATED) == [
        one("asset", bare.pk)
    ]


def test_minutes_not_written_in_time(fw: FinWorld) -> None:
    # the plan's adoption meeting (2025-03-01) has no minutes at all
    from sharaka.meetings.models import Meeting

    meeting = Meeting.objects.get(partnership=fw.w.a)
    found = checks.minutes_late(fw.w.a, TODAY)
    assert ids(found, Code.MINUTES_LATE) == [one("meeting", meeting.pk)]
    assert checks.minutes_late(fw.w.a, date(2025, 3, 5)) == []


def test_association_admissibility_expired(fw: FinWorld) -> None:
    w = fw.w
    association = fw.pw.association  # a party of A
    file = partners.file_open(by=w.officer, association=association, authority=w.a.lead_authority)
    criterion = next(
        c for c in criteria_list(authority_id=w.a.lead_authority_id)
        if c.kind == CriterionKind.DOCUMENT
    )  # fmt: skip
    today = timezone.localdate()
    piece = partners.evidence_add(
        by=w.officer, file=file, criterion=criterion, document=receipt("piece.pdf"),
        issued_on=today - timedelta(days=400), expires_on=today + timedelta(days=10),
    )  # fmt: skip
    partners.evidence_check(by=w.officer, evidence=piece, status=CheckStatus.ACCEPTED)
    assert checks.admissibility_expired(w.a, today) == []
    [finding] = checks.admissibility_expired(w.a, today + timedelta(days=10))
    assert finding.records == (Record("admissibility_file", file.pk),
                               Record("organization", association.pk))  # fmt: skip
    assert criterion.code in finding.message


def test_a_failing_check_is_reported_and_the_others_run(fw: FinWorld) -> None:
    bare = fw.record(document=False)

    def broken(partnership: Any, today: date) -> list[Any]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM no_such_table")
        return []

    gather = {Code.OUTSIDE_PLAN: broken, Code.MISSING_RECEIPT: checks.missing_receipt}
    outcome = checks.run_checks(fw.w.a, today=TODAY, gather=gather)
    assert list(outcome.errors) == [Code.OUTSIDE_PLAN.value]
    assert [f.records for f in outcome.findings] == [one("expense", bare.pk)]


def test_running_the_checks_writes_nothing(fw: FinWorld) -> None:
    fw.record(document=False)
    fw.record(reference="X")
    fw.record(reference="X", confirm_duplicate=True)
    with CaptureQueriesContext(connection) as queries:
        outcome = checks.run_checks(fw.w.a, today=TODAY)
    assert outcome.errors == {}
    assert outcome.findings
    written = [
        q["sql"] for q in queries.captured_queries
        if q["sql"].lstrip().split(" ", 1)[0].upper() in {"INSERT", "UPDATE", "DELETE"}
    ]  # fmt: skip
    assert written == []


def test_the_number_of_queries_does_not_grow_with_the_expenses(fw: FinWorld) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            checks.run_checks(fw.w.a, today=TODAY)
        return len(queries.captured_queries)

    fw.record(document=False, reference="R")
    fw.record(reference="R", confirm_duplicate=True)
    first = count()
    for n in range(6):
        fw.record(
            document=n % 2 == 0, reference=f"R{n % 3}", line=fw.staff2, confirm_duplicate=True
        )
    assert count() == first
