"""The demo's pre-audit checks: loaded with the whole demo, idempotent, finding the demo's
problems (the overrun awaiting a decision, the missing receipts) and the planted duplicate."""

from __future__ import annotations

import pytest

from sharaka import demo
from sharaka.audit import demo as audit_demo
from sharaka.audit.models import AuditFinding, CheckFinding, CheckRun, WorkPaper
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
    findings = list(AuditFinding.objects.filter(audit__partnership__slug=audit_demo.SLUG))
    assert [f.number for f in findings] == [1, 2] and len(findings[0].expenses) == 2
    assert WorkPaper.objects.filter(audit__partnership__slug=audit_demo.SLUG).count() == 1
