"""Expense imports uploaded on the page: small files at once, larger ones on the task queue
(docs/decisions/0006-expense-import.md, 0012-import-batches.md, 0016-task-queue.md).

The progress of a queued import is written to its ``ImportJob`` row every ``BATCH`` rows
(rows read, bytes read, heartbeat), so every web process reads it from the database. On
PostgreSQL the import is one transaction, which would hide those writes until it ends: they
go through a second, autocommit connection. A job whose heartbeat is older than
``SHARAKA_IMPORT_STALE_SECONDS`` has lost its worker: ``imports_recover`` (a periodic job)
deletes its pending rows and re-queues it, or marks it failed after ``MAX_CRASHES``. Each
enqueueing carries the job's ``attempt`` number; a run whose number is no longer the job's
writes nothing, so a job is never imported twice.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django_tasks import task

from sharaka.core.access import Perm, require
from sharaka.core.errors import DomainError
from sharaka.finance import duplicates
from sharaka.finance.importer import (
    ImportRejected,
    check_import_size,
    expenses_import,
    file_sha256,
    pending_discard,
)
from sharaka.finance.models import Expense, ImportJob, ImportStatus

logger = logging.getLogger(__name__)

#: Files up to this size are imported within the request; larger ones on the queue.
INLINE_LIMIT = 256 * 1024
#: a job whose run stopped this many times without an outcome is failed, not re-queued
MAX_CRASHES = 2
_ACTIVE = (ImportStatus.PENDING, ImportStatus.RUNNING)


def import_job_start(
    *, by: Any, partnership: Any, upload: UploadedFile, allow_duplicates: bool = False
) -> ImportJob:
    """Store the upload and import it: at once when small, else on the task queue. A file
    already imported into the partnership (same SHA-256) is refused, naming that import,
    unless ``allow_duplicates`` (which also lets rows repeat earlier expenses)."""
    require(by, Perm.EXPENSE_RECORD, partnership)
    check_import_size(upload.size or 0)
    name = upload.name or "import.csv"
    digest = file_sha256(upload)
    with transaction.atomic():  # check, then write: serialised per partnership
        duplicates.lock(partnership.pk)
        duplicates.check_file(partnership.pk, digest, confirmed=allow_duplicates)
        job = ImportJob.objects.create(
            partnership=partnership, created_by=by, source_name=name[:255],
            size=upload.size or 0, sha256=digest, allow_duplicates=allow_duplicates,
        )  # fmt: skip
    job.stored_path = default_storage.save(f"imports/{job.pk}/{Path(name).name}", upload)
    job.save(update_fields=["stored_path"])
    if job.size <= INLINE_LIMIT:
        run_job(job.pk, attempt=0)
        job.refresh_from_db()
    else:
        _enqueue(job.pk, attempt=1)
        job.refresh_from_db()
    return job


def _enqueue(job_id: int, *, attempt: int) -> None:
    """Give the job to the queue as ``attempt`` (on commit: the worker must see the row)."""
    ImportJob.objects.filter(pk=job_id).update(
        attempt=attempt, status=ImportStatus.PENDING, heartbeat_at=timezone.now()
    )
    transaction.on_commit(lambda: expense_import_task.enqueue(job_id=job_id, attempt=attempt))


@task()
def expense_import_task(*, job_id: int, attempt: int) -> str:
    """The queued import of one uploaded file; returns its final status."""
    run_job(job_id, attempt=attempt)
    return str(ImportJob.objects.values_list("status", flat=True).get(pk=job_id))


class _Heartbeat:
    """Writes a job's progress where other processes see it at once: through the default
    connection on SQLite (the import commits batch by batch there), through a second,
    autocommit connection on PostgreSQL (the import's own transaction hides its writes)."""

    def __init__(self, job_id: int, attempt: int | None) -> None:
        self.job_id, self.attempt = job_id, attempt
        # only a queued run (attempt 1 and up) needs it: an inline run is short, and its
        # request's transaction may hold the job row that the second connection would wait for
        self.side = (
            connections.create_connection(DEFAULT_DB_ALIAS)
            if connection.vendor == "postgresql" and attempt
            else None
        )

    def __call__(self, rows: int, fraction: float | None, size: int) -> None:
        now = timezone.now()
        done = int((fraction or 0.0) * size)
        if self.side is None:
            mine = ImportJob.objects.filter(pk=self.job_id)
            if self.attempt is not None:
                mine = mine.filter(attempt=self.attempt)
            mine.update(rows=rows, processed_bytes=done, heartbeat_at=now)
            return
        table = self.side.ops.quote_name(ImportJob._meta.db_table)
        sql = f"UPDATE {table} SET rows = %s, processed_bytes = %s, heartbeat_at = %s WHERE id = %s"  # noqa: S608
        params: list[Any] = [rows, done, now, self.job_id]
        if self.attempt is not None:
            sql += " AND attempt = %s"
            params.append(self.attempt)
        with self.side.cursor() as cursor:
            cursor.execute(sql, params)

    def close(self) -> None:
        if self.side is not None:
            self.side.close()


def run_job(job_id: int, *, attempt: int | None = None) -> None:
    """Import the stored file of ``job_id`` and record the outcome on the job.

    ``attempt`` is the enqueueing this run belongs to (None: inline, in the request). A run
    that is not, or no longer, the job's current attempt changes nothing; nor does a second
    delivery of the same attempt (RQ may run again a task whose worker died): only a
    ``pending`` job is claimed, and only ``imports_recover`` makes a running one pending."""
    claim = ImportJob.objects.filter(pk=job_id, status=ImportStatus.PENDING)
    if attempt is not None:
        claim = claim.filter(attempt=attempt)
    if not claim.update(status=ImportStatus.RUNNING, heartbeat_at=timezone.now()):
        logger.info("Expense import %s attempt %s superseded or finished", job_id, attempt)
        return
    job = ImportJob.objects.select_related("partnership", "created_by").get(pk=job_id)
    beat = _Heartbeat(job_id, attempt)

    def still_ours() -> bool:
        """Inside the final transaction: lock the job row, check it is still this run's."""
        mine = ImportJob.objects.select_for_update().filter(pk=job_id, status=ImportStatus.RUNNING)
        if attempt is not None:
            mine = mine.filter(attempt=attempt)
        return mine.exists()

    status, errors, message, rows, written = ImportStatus.DONE, [], "", 0, 0
    try:
        with default_storage.open(job.stored_path, "rb") as stream:
            result = expenses_import(
                by=job.created_by, partnership=job.partnership, stream=stream,
                name=job.source_name, job_id=job.pk, allow_duplicates=job.allow_duplicates,
                progress=lambda r, f: beat(r, f, job.size), still_ours=still_ours,
            )  # fmt: skip
        rows, written = result.rows, result.written
        message = gettext("%(n)s dépenses importées.") % {"n": written}
        if result.updated or result.unchanged:
            message += " " + gettext("%(u)s mises à jour, %(s)s inchangées.") % {
                "u": result.updated, "s": result.unchanged,
            }  # fmt: skip
    except ImportRejected as rejected:
        status = ImportStatus.FAILED
        rows = rejected.result.rows
        errors = [str(e) for e in rejected.result.errors]
        message = gettext("Fichier refusé : rien n'a été enregistré.")
    except DomainError as error:
        status, message = ImportStatus.FAILED, error.message
        errors = [error.message]
    except Exception:  # the page must show an outcome, never hang at 99 %
        logger.exception("Expense import %s failed", job_id)
        status = ImportStatus.FAILED
        message = gettext("L'import n'a pas abouti ; rien n'a été enregistré.")
    finally:
        beat.close()
    _record_outcome(job, attempt, status=status, errors=errors, message=message, rows=rows,
                    written=written)  # fmt: skip


def _record_outcome(job: ImportJob, attempt: int | None, **outcome: Any) -> None:
    keep = settings.SHARAKA_IMPORT_KEEP_DAYS > 0
    mine = ImportJob.objects.filter(pk=job.pk)
    if attempt is not None:  # superseded meanwhile: the newer attempt records the outcome
        mine = mine.filter(attempt=attempt)
    recorded = mine.update(
        processed_bytes=job.size, finished_at=timezone.now(),
        stored_path=job.stored_path if keep else "", **outcome,
    )  # fmt: skip
    if recorded and not keep:
        _delete_on_commit(job.stored_path)
    import_files_purge()


def imports_recover(*, now: datetime | None = None) -> int:
    """Deal with queued imports whose worker is gone (no heartbeat for
    ``SHARAKA_IMPORT_STALE_SECONDS``): returns how many were re-queued or failed.

    Rows already made visible mean the run finished but died before recording it: the job
    is marked done with them. Otherwise its pending rows are deleted (ADR 0012), and it is
    re-queued under a new attempt, or failed with a message after ``MAX_CRASHES`` runs that
    stopped (a file that kills the worker must not kill it for ever)."""
    cutoff = (now or timezone.now()) - timedelta(seconds=settings.SHARAKA_IMPORT_STALE_SECONDS)
    stale = ImportJob.objects.filter(status__in=_ACTIVE).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff)
    )
    handled = 0
    for job in stale:
        visible = Expense.all_objects.filter(import_job_id=job.pk, pending=False).count()
        mine = ImportJob.objects.filter(pk=job.pk, attempt=job.attempt, status=job.status)
        if visible:
            done = gettext("%(n)s dépenses importées.") % {"n": visible}
            if mine.update(status=ImportStatus.DONE, written=visible, finished_at=timezone.now(),
                           processed_bytes=job.size, message=done):  # fmt: skip
                handled += 1
            continue
        pending_discard(job.pk)
        crashes = job.crashes + (1 if job.status == ImportStatus.RUNNING else 0)
        if crashes < MAX_CRASHES and job.stored_path:
            # a job still waiting (the queue lost it) is re-queued without counting a crash
            with transaction.atomic():
                if mine.update(crashes=crashes, rows=0, processed_bytes=0,
                               message=gettext("Le traitement s'est arrêté ; l'import est "
                                               "relancé depuis le début.")):  # fmt: skip
                    _enqueue(job.pk, attempt=job.attempt + 1)
                    handled += 1
            continue
        if mine.update(
            status=ImportStatus.FAILED, crashes=crashes, written=0, finished_at=timezone.now(),
            message=gettext("L'import a été interrompu (le traitement s'est arrêté) ; rien "
                            "n'a été enregistré. Réessayez."),
        ):  # fmt: skip
            handled += 1
            logger.warning("Expense import %s failed after %s interrupted runs", job.pk, crashes)
    return handled


@task()
def imports_recover_task() -> int:
    return imports_recover()


@task()
def import_files_purge_task() -> int:
    return import_files_purge()


def _delete_on_commit(path: str) -> None:
    if path:
        transaction.on_commit(lambda: default_storage.delete(path))


def import_files_purge(*, now: datetime | None = None) -> int:
    """Delete the stored files of imports that ended more than ``SHARAKA_IMPORT_KEEP_DAYS``
    days ago (at once when 0); returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.SHARAKA_IMPORT_KEEP_DAYS)
    old = list(
        ImportJob.objects.filter(finished_at__lte=cutoff)
        .exclude(stored_path="")
        .values_list("pk", "stored_path")
    )
    for pk, path in old:
        ImportJob.objects.filter(pk=pk).update(stored_path="")
        _delete_on_commit(path)
    return len(old)


def progress_of(job: ImportJob) -> tuple[int, int]:
    """(rows read, percent) of a job, as its row records them (every process sees them)."""
    return job.rows, job.percent
