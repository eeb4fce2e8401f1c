"""Stored runs: who may run, what is kept, the nightly job."""

from __future__ import annotations

from typing import Any

import pytest

from sharaka.audit import checks, services, tasks
from sharaka.audit.models import CheckFinding, CheckRun, Trigger
from sharaka.core import scheduler
from sharaka.core.errors import AccessDenied, NotFound
from sharaka.partnerships.models import Partnership
from tests.audit.conftest import FinWorld


def test_who_may_run(fw: FinWorld) -> None:
    w = fw.w
    for user in (w.admin, w.officer, w.coordinator, w.auditor):
        services.check_run(by=user, partnership=w.a)
    for user in (w.treasurer, w.board_member):
        with pytest.raises(AccessDenied):
            services.check_run(by=user, partnership=w.a)
    for user in (w.other_officer, w.outsider):
        with pytest.raises(NotFound):
            services.check_run(by=user, partnership=w.a)
    assert CheckRun.objects.count() == 4


def test_a_run_stores_its_findings_errors_and_counts(fw: FinWorld, monkeypatch: Any) -> None:
    fw.record(document=False)

    def broken(partnership: Any, today: Any) -> list[Any]:
        raise RuntimeError("boom")

    monkeypatch.setitem(checks.GATHER, checks.Code.ASSET_UNLOCATED, broken)
    run, outcome = services.check_run(by=None, partnership=fw.w.a)
    assert run.trigger == Trigger.USER and run.run_by is None
    assert run.errors == {"asset_without_owner_or_location": "RuntimeError: boom"}
    assert run.finding_count == 2 == CheckFinding.objects.filter(run=run).count()
    finding = CheckFinding.objects.filter(run=run, code="expense_missing_receipt").get()
    assert finding.severity == "medium" and finding.records[0]["type"] == "expense"
    assert outcome.counts() == run.counts


def test_findings_beyond_the_limit_are_counted_not_stored(fw: FinWorld, monkeypatch: Any) -> None:
    monkeypatch.setattr(services, "KEEP_FINDINGS", 2)
    for _ in range(4):
        fw.record(document=False)
    run, _outcome = services.check_run(by=None, partnership=fw.w.a)
    assert run.counts["expense_missing_receipt"] == 4
    assert CheckFinding.objects.filter(run=run, code="expense_missing_receipt").count() == 2


def test_old_runs_are_pruned(fw: FinWorld, monkeypatch: Any) -> None:
    monkeypatch.setattr(services, "KEEP_RUNS", 3)
    runs = [services.check_run(by=None, partnership=fw.w.a)[0].pk for _ in range(5)]
    services.check_run(by=None, partnership=fw.w.b)
    assert (
        sorted(CheckRun.objects.filter(partnership=fw.w.a).values_list("pk", flat=True))
        == (runs[2:])
    )
    assert CheckRun.objects.filter(partnership=fw.w.b).count() == 1


def test_the_nightly_job_checks_every_active_partnership(fw: FinWorld) -> None:
    assert "audit.checks_nightly" in {job.name for job in scheduler.jobs()}
    Partnership.objects.filter(pk=fw.w.a.pk).update(status="active")
    assert tasks.checks_nightly() == 1  # B is a draft
    run = CheckRun.objects.get()
    assert run.partnership == fw.w.a and run.trigger == Trigger.SCHEDULER
