"""Expense imports larger than the inline limit run on the task queue (ADR 0016): progress on
the job row, an import whose worker died re-queued (or failed) without ever leaving half of
its rows, a superseded attempt doing nothing."""

from __future__ import annotations

import os
import threading
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.utils import timezone

from sharaka.core import scheduler
from sharaka.finance import importer, tasks
from sharaka.finance.importer import COLUMNS
from sharaka.finance.models import Expense, ImportJob
from tests.finance.conftest import FinWorld, csv_file

pytestmark = pytest.mark.django_db


def big(n: int, *, bad_at: int | None = None) -> bytes:
    """A CSV of ``n`` valid rows (each about 80 bytes), one bad amount at ``bad_at``."""
    row = ["2025-04-01", "10.00", "MAD", "Fournisseur", "", "A1.1", "staff", "Heures"]
    rows = [list(COLUMNS)] + [[*row[:4], f"F-{i}", *row[5:]] for i in range(n)]
    if bad_at is not None:
        rows[bad_at][1] = "dix"
    data = csv_file(rows).read()
    assert isinstance(data, bytes)
    return data


def start(fw: FinWorld, data: bytes) -> ImportJob:
    return tasks.import_job_start(
        by=fw.w.coordinator, partnership=fw.w.a, upload=SimpleUploadedFile("big.csv", data)
    )


def test_a_large_file_is_queued_then_imported_by_the_task(
    fw: FinWorld, django_capture_on_commit_callbacks: Any
) -> None:
    data = big(5000)
    assert len(data) > tasks.INLINE_LIMIT
    with django_capture_on_commit_callbacks(execute=True):
        job = start(fw, data)
        assert (job.status, job.attempt) == ("pending", 1)  # queued, not run in the request
        assert not Expense.all_objects.exists()
    job.refresh_from_db()
    assert job.status == "done" and job.written == 5000 and job.percent == 100
    assert Expense.objects.filter(import_job=job).count() == 5000
    assert job.stored_path == ""  # the file is deleted once imported


def test_a_bad_large_file_fails_with_its_errors_and_writes_nothing(
    fw: FinWorld, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        job = start(fw, big(5000, bad_at=4500))
    job.refresh_from_db()
    assert job.status == "failed" and "ligne 4501, colonne amount" in job.errors[0]
    assert not Expense.all_objects.exists()


def _left_running(fw: FinWorld, data: bytes, *, pending_rows: int, crashes: int = 0) -> ImportJob:
    """A job whose worker died mid-import: still running, heartbeat old, batch rows pending."""
    job = start(fw, data)  # queued; the on-commit enqueue never runs (the worker "dies")
    ImportJob.objects.filter(pk=job.pk).update(
        status="running", crashes=crashes, rows=1000, processed_bytes=len(data) // 4,
        heartbeat_at=timezone.now() - timedelta(minutes=10),
    )  # fmt: skip
    if pending_rows:
        importer._Writer().write([
            (fw.w.a.pk, fw.staff.activity.version_id, fw.staff.activity_id, fw.staff.pk,
             "2025-04-01", 2025,
             "1.00", "MAD", "X", f"P-{i}", "", "", "", "recorded", None,
             connection.ops.adapt_datetimefield_value(timezone.now()), job.pk, True)
            for i in range(pending_rows)
        ])  # fmt: skip
    return job


@pytest.mark.skipif(
    "postgres" in os.environ.get("DATABASE_URL", ""),
    reason="PostgreSQL imports in one transaction: a crash leaves no pending rows",
)
def test_a_crashed_import_is_requeued_and_ends_with_every_row_once(
    fw: FinWorld, django_capture_on_commit_callbacks: Any
) -> None:
    job = _left_running(fw, big(5000), pending_rows=300)
    assert tasks.imports_recover(now=timezone.now() - timedelta(minutes=9)) == 0  # alive
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.imports_recover() == 1
        job.refresh_from_db()
        assert (job.status, job.attempt, job.crashes) == ("pending", 2, 1)
        assert not Expense.all_objects.filter(import_job=job).exists()  # batch deleted first
    job.refresh_from_db()
    assert job.status == "done" and job.written == 5000
    refs = list(Expense.objects.filter(import_job=job).values_list("reference", flat=True))
    assert len(refs) == len(set(refs)) == 5000  # every row exactly once


def test_an_import_that_crashes_twice_fails_with_a_message_and_no_rows(
    fw: FinWorld, django_capture_on_commit_callbacks: Any
) -> None:
    job = _left_running(fw, big(5000), pending_rows=0, crashes=tasks.MAX_CRASHES - 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.imports_recover() == 1
    job.refresh_from_db()
    assert job.status == "failed" and "interrompu" in job.message and job.written == 0
    assert not Expense.all_objects.filter(import_job=job).exists()
    assert tasks.imports_recover() == 0  # finished: left alone


def test_an_import_that_committed_but_died_before_recording_it_is_marked_done(
    fw: FinWorld, django_capture_on_commit_callbacks: Any
) -> None:
    job = _left_running(fw, big(5000), pending_rows=5)
    Expense.all_objects.filter(import_job=job).update(pending=False)  # the final update ran
    with django_capture_on_commit_callbacks(execute=True) as queued:
        assert tasks.imports_recover() == 1
    assert not queued  # not imported a second time
    job.refresh_from_db()
    assert job.status == "done" and job.written == 5 and job.attempt == 1


def test_a_job_the_queue_lost_is_queued_again_without_counting_a_crash(
    fw: FinWorld, django_capture_on_commit_callbacks: Any
) -> None:
    job = start(fw, big(5000))  # never picked up
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.imports_recover() == 1
    job.refresh_from_db()
    assert (job.status, job.crashes, job.attempt, job.written) == ("done", 0, 2, 5000)


def test_a_superseded_attempt_does_nothing(fw: FinWorld) -> None:
    job = start(fw, big(5000))
    ImportJob.objects.filter(pk=job.pk).update(attempt=2)
    tasks.run_job(job.pk, attempt=1)  # the old task, run late
    job.refresh_from_db()
    assert job.status == "pending" and not Expense.all_objects.exists()
    tasks.run_job(job.pk, attempt=2)
    job.refresh_from_db()
    assert job.status == "done" and job.written == 5000
    tasks.run_job(job.pk, attempt=2)  # run twice (a queue delivering twice): nothing more
    assert Expense.objects.filter(import_job=job).count() == 5000


def test_a_second_delivery_of_a_running_attempt_does_nothing(fw: FinWorld) -> None:
    """RQ may run again the task of a worker it found dead while its work horse still runs:
    the attempt is already claimed, so the second run neither imports nor records."""
    job = start(fw, big(5000))
    ImportJob.objects.filter(pk=job.pk).update(status="running")  # the first run, still going
    tasks.run_job(job.pk, attempt=1)
    job.refresh_from_db()
    assert job.status == "running" and job.finished_at is None
    assert not Expense.all_objects.filter(import_job=job).exists()


def test_a_run_taken_for_crashed_meanwhile_commits_nothing(fw: FinWorld, monkeypatch: Any) -> None:
    """The check inside the final transaction: a run re-queued under it writes no row."""
    job = start(fw, big(5000))
    monkeypatch.setattr(importer, "BATCH", 1000)

    def superseded(rows: int, fraction: float | None, size: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(attempt=2)

    monkeypatch.setattr(tasks._Heartbeat, "__call__", lambda self, *a: superseded(*a))
    tasks.run_job(job.pk, attempt=1)
    assert not Expense.all_objects.filter(import_job=job).exists()


def test_the_finance_jobs_are_registered_with_the_scheduler() -> None:
    names = {job.name for job in scheduler.jobs()}
    assert {"finance.imports_recover", "finance.import_files_purge"} <= names


@pytest.mark.django_db(transaction=True)
def test_the_progress_of_a_queued_run_is_seen_by_another_connection_while_it_runs(
    fw: FinWorld, monkeypatch: Any
) -> None:
    """The page polls from another process: on PostgreSQL the import is one transaction, so
    its progress must come through the second connection to be seen before it ends."""
    monkeypatch.setattr(importer, "BATCH", 1000)
    seen: list[int] = []
    beat = tasks._Heartbeat.__call__

    def spy(self: Any, rows: int, fraction: float | None, size: int) -> None:
        beat(self, rows, fraction, size)

        def read() -> None:
            try:
                seen.append(ImportJob.objects.get(pk=self.job_id).rows)
            finally:
                connections.close_all()

        thread = threading.Thread(target=read)
        thread.start()
        thread.join(10)

    monkeypatch.setattr(tasks._Heartbeat, "__call__", spy)
    job = start(fw, big(5000))  # autocommit: queued and run at once (immediate backend)
    job.refresh_from_db()
    assert job.status == "done" and job.written == 5000
    assert seen[:4] == [1000, 2000, 3000, 4000]


def test_the_import_page_shows_a_queued_job_then_its_outcome(
    fw: FinWorld, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for("coordinator")
    page_url = f"/partenariats/{fw.w.a.slug}/finances/import/"
    upload = SimpleUploadedFile("big.csv", big(5000))
    response = client.post(page_url, {"file": upload})  # the enqueue waits for the commit
    assert response.status_code == 302
    job = ImportJob.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "En attente" in page and 'hx-trigger="every 1s"' in page  # polled while queued
    ImportJob.objects.filter(pk=job.pk).update(
        status="running", heartbeat_at=timezone.now() - timedelta(hours=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        tasks.imports_recover()  # its worker died: queued again, and run
    page = client.get(response["Location"]).content.decode()
    assert "5000 dépenses importées" in page
    # another role of the partnership may not see it
    assert client_for("board_member").get(response["Location"]).status_code in (403, 404)
