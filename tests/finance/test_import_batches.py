"""Imports write in short transactions, as a pending batch that shows all at once or not at
all (ADR 0012); their stored files are deleted once done; replaced receipts on commit."""

from __future__ import annotations

import os
import threading
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.utils import timezone

from sharaka.directory.models import Organization
from sharaka.finance import importer, services, tasks
from sharaka.finance.importer import COLUMNS, ImportRejected
from sharaka.finance.models import Expense, ImportJob
from tests.finance.conftest import FinWorld, csv_file, receipt


def good(n: int) -> list[list[str]]:
    row = ["2025-04-01", "10.00", "MAD", "Fournisseur", "", "A1.1", "staff", ""]
    return [list(COLUMNS)] + [[*row[:4], f"F-{i}", *row[5:]] for i in range(n)]


def run(fw: FinWorld, rows: list[list[str]], **kw: Any) -> importer.ImportResult:
    return importer.expenses_import(
        by=fw.w.coordinator, partnership=fw.w.a, stream=csv_file(rows), name="f.csv", **kw
    )


@pytest.mark.django_db(transaction=True)
def test_a_running_import_neither_shows_its_rows_nor_blocks_other_writes(
    fw: FinWorld, monkeypatch: Any
) -> None:
    monkeypatch.setattr(importer, "BATCH", 5)
    seen: list[tuple[int, int, str]] = []

    def other_officer() -> None:
        """Another user, another connection, while the import is half-way."""
        try:
            if connection.vendor == "sqlite":
                connection.cursor().execute("PRAGMA busy_timeout = 2000")
            Organization.objects.filter(pk=fw.w.a.lead_authority_id).update(notes="écrit")
            seen.append((Expense.objects.count(), Expense.all_objects.count(), "ok"))
        except Exception as error:
            seen.append((-1, -1, repr(error)))
        finally:
            connections.close_all()

    def progress(rows: int, fraction: float | None) -> None:
        if rows == 10:  # two batches written
            if connection.vendor == "sqlite":  # committed, but pending
                assert Expense.objects.filter(partnership=fw.w.a).count() == 0
                assert Expense.all_objects.filter(partnership=fw.w.a, pending=True).count() == 10
            thread = threading.Thread(target=other_officer)
            thread.start()
            thread.join(10)

    result = run(fw, good(20), progress=progress)
    assert seen == [(0, 10 if connection.vendor == "sqlite" else 0, "ok")]
    assert result.written == 20 and Expense.objects.filter(partnership=fw.w.a).count() == 20
    assert not Expense.all_objects.filter(pending=True).exists()
    assert Organization.objects.get(pk=fw.w.a.lead_authority_id).notes == "écrit"


@pytest.mark.django_db
def test_a_refused_file_leaves_nothing_although_batches_were_written(
    fw: FinWorld, monkeypatch: Any
) -> None:
    monkeypatch.setattr(importer, "BATCH", 3)
    rows = good(12)
    rows[11][1] = "douze"
    with pytest.raises(ImportRejected):
        run(fw, rows)
    assert Expense.all_objects.count() == 0
    job = ImportJob.objects.get()  # the command line's import is recorded too
    assert job.status == "failed" and job.written == 0


@pytest.mark.django_db
@pytest.mark.skipif(
    "postgres" in os.environ.get("DATABASE_URL", ""),
    reason="PostgreSQL imports in one transaction: a crash rolls it back",
)
def test_the_rows_of_a_crashed_import_are_deleted_by_the_next_one(
    fw: FinWorld, monkeypatch: Any
) -> None:
    monkeypatch.setattr(importer, "BATCH", 3)
    monkeypatch.setattr(importer, "_discard", lambda job_id: None)  # the process dies

    def crash(rows: int, fraction: float | None) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run(fw, good(9), progress=crash)
    monkeypatch.undo()
    crashed = ImportJob.objects.get()
    assert Expense.all_objects.filter(pending=True).count() == 3
    assert Expense.objects.count() == 0
    # still "alive" for a while: left alone
    ImportJob.objects.filter(pk=crashed.pk).update(status="running", finished_at=None)
    assert importer.batches_clean() == 0
    later = timezone.now() + importer.STALE_AFTER + timedelta(minutes=1)
    assert importer.batches_clean(now=later) == 1
    assert not Expense.all_objects.exists()
    crashed.refresh_from_db()
    assert crashed.status == "failed" and "interrompu" in crashed.message
    assert run(fw, good(2)).written == 2


@pytest.mark.django_db
@pytest.mark.parametrize("keep_days", [0, 3])
def test_stored_import_files_are_deleted_once_done_or_after_the_days_kept(
    fw: FinWorld, settings: Any, keep_days: int, django_capture_on_commit_callbacks: Any
) -> None:
    settings.SHARAKA_IMPORT_KEEP_DAYS = keep_days
    text = "\n".join(",".join(r) for r in good(2)).encode()
    bad = "\n".join(",".join(r) for r in [*good(2), ["x"] * 8]).encode()
    with django_capture_on_commit_callbacks(execute=True):
        done = tasks.import_job_start(by=fw.w.coordinator, partnership=fw.w.a,
                                      upload=SimpleUploadedFile("a.csv", text))  # fmt: skip
        failed = tasks.import_job_start(by=fw.w.coordinator, partnership=fw.w.a,
                                        upload=SimpleUploadedFile("b.csv", bad))  # fmt: skip
    assert (done.status, failed.status) == ("done", "failed")
    paths = [f"imports/{done.pk}/a.csv", f"imports/{failed.pk}/b.csv"]
    kept = [default_storage.exists(p) for p in paths]
    assert kept == [keep_days > 0] * 2
    if keep_days:
        past = timezone.now() - timedelta(days=keep_days + 1)
        ImportJob.objects.filter(pk=done.pk).update(finished_at=past)
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.import_files_purge() == 1
        assert [default_storage.exists(p) for p in paths] == [False, True]
        assert ImportJob.objects.get(pk=done.pk).stored_path == ""


@pytest.mark.django_db
def test_a_replaced_or_deleted_receipt_is_deleted_on_commit_never_before(
    fw: FinWorld, django_capture_on_commit_callbacks: Any
) -> None:
    fields = {"date": date(2025, 4, 1), "amount": Decimal(1), "supplier": "X",
              "activity": fw.a1, "line": fw.staff}  # fmt: skip
    expense = services.expense_record(by=fw.w.coordinator, partnership=fw.w.a, fields=fields,
                                      document=receipt("a.pdf"))  # fmt: skip
    first = expense.document.name
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.expense_update(by=fw.w.coordinator, expense=expense, fields={},
                                document=receipt("b.pdf"))  # fmt: skip
        assert default_storage.exists(first)  # not before the commit
    for callback in callbacks:
        callback()
    assert not default_storage.exists(first)
    second = Expense.objects.get(pk=expense.pk).document.name
    assert default_storage.exists(second)
    with django_capture_on_commit_callbacks(execute=True):
        services.expense_delete(by=fw.w.coordinator, expense=expense)
    assert not default_storage.exists(second)
