"""The demo's pre-audit checks: loaded with the whole demo, idempotent, finding the demo's
problems (the overrun awaiting a decision, the missing receipts) and the planted duplicate."""

from __future__ import annotations

import pytest

from sharaka import demo
from sharaka.audit import demo as audit_demo
from sharaka.audit.models import (
    Audit,
    AuditFinding,
    CheckFinding,
    CheckRun,
    FollowUp,
    Recommendation,
    WorkPaper,
)
from sharaka.finance.models import Expense

pytestmark = pytest.mark.django_db


def test_demo_checks_find_the_planted_problems() -> None:
    demo.load_demo()
    run = CheckRun.objects.get(partnership__slug=audit_demo.SLUG)
    assert not run.errors
    assert run.counts["line_overrun_unauthorised"] == 1
    assert run.counts["expense_missing_receipt"] == 6
    assert run.counts["expense_possible_duplicate"] == 1
    planted = Expense.objects.get(description=audit_demo.DUPLICATE_NOTE)
    duplicate = CheckFinding.objects.get(run=run, code="expense_possible_duplicate")
    assert {"type": "expense", "id": planted.pk} in duplicate.records
    assert len(duplicate.records) == 2

    demo.load_demo()  # idempotent: no second duplicate, no second run
    assert Expense.objects.filter(description=audit_demo.DUPLICATE_NOTE).count() == 1
    assert CheckRun.objects.filter(partnership__slug=audit_demo.SLUG).count() == 1
    # The 2026 engagement: the auditor's work paper and two findings, once.
    findings = list(
        AuditFinding.objects.filter(
            audit__partnership__slug=audit_demo.SLUG,
            audit__auditor__isnull=False,
            audit__period_start__year=2026,
        )
    )
    assert [f.number for f in findings] == [1, 2] and len(findings[0].expenses) == 2
    assert WorkPaper.objects.filter(audit__partnership__slug=audit_demo.SLUG).count() == 1


def test_demo_2025_verification_is_reported_and_followed_up() -> None:
    demo.load_demo()
    audit = Audit.objects.get(
        partnership__slug=audit_demo.SLUG, kind="financial", period_start__year=2025
    )
    assert audit.status == "reported" and audit.auditor.username == "auditeur"
    assert AuditFinding.objects.filter(audit=audit).count() == 5
    recs = {r.number: r for r in Recommendation.objects.filter(audit=audit)}
    assert [recs[n].status for n in sorted(recs)] == [
        "verified", "verified", "in_progress", "open", "not_accepted",
    ]  # fmt: skip
    assert all(r.owner_party_id for r in recs.values())
    overdue = [r for r in recs.values() if r.agenda_item_id]
    assert [r.number for r in overdue] == [3]
    item = overdue[0].agenda_item
    assert item.meeting.status == "planned" and "R3" in item.title
    assert FollowUp.objects.filter(recommendation__audit=audit, by_auditor=True).count() == 2
    current = Audit.objects.get(
        partnership__slug=audit_demo.SLUG, kind="financial", period_start__year=2026
    )
    assert current.status == "in_progress" and len(current.sample) == 8
