"""Expense imports uploaded on the page, run after the request in a background thread
(docs/decisions/0006-expense-import.md).

The import writes in short transactions (ADR 0012); its progress is kept in Django's cache
(``progress_key``), which the progress endpoint reads — shared by every server process
when ``REDIS_URL`` names a Redis server, else in this process's memory; the final state
(done, or the errors) is written to the ``ImportJob`` row when the import ends, and the
stored file is then deleted (or kept ``SHARAKA_IMPORT_KEEP_DAYS`` days).
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from sharaka.core.access import Perm, require
from sharaka.core.errors import DomainError
from sharaka.finance.importer import ImportRejected, check_import_size, expenses_import
from sharaka.finance.models import ImportJob, ImportStatus

logger = logging.getLogger(__name__)

#: Files up to this size are imported within the request; larger ones in the background.
INLINE_LIMIT = 256 * 1024
#: how long a live progress entry outlives its last update (a crashed process's job stops
#: showing a percentage after this)
PROGRESS_TTL_S = 600


def progress_key(job_id: int) -> str:
    """Cache key of a running job's ``(rows read, fraction of the file read)``."""
    return f"sharaka:import-progress:{job_id}"


def import_job_start(*, by: Any, partnership: Any, upload: UploadedFile) -> ImportJob:
    """Store the upload and import it: at once when small, else in a background thread."""
    require(by, Perm.EXPENSE_RECORD, partnership)
    check_import_size(upload.size or 0)
    name = upload.name or "import.csv"
    job = ImportJob.objects.create(
        partnership=partnership, created_by=by, source_name=name[:255], size=upload.size or 0
    )
    job.stored_path = default_storage.save(f"imports/{job.pk}/{Path(name).name}", upload)
    job.save(update_fields=["stored_path"])
    if job.size <= INLINE_LIMIT:
        run_job(job.pk)
        job.refresh_from_db()
    else:
        transaction.on_commit(lambda: threading.Thread(
            target=_thread, args=(job.pk,), daemon=True, name=f"import-{job.pk}"
        ).start())  # fmt: skip
    return job


def _thread(job_id: int) -> None:
    close_old_connections()
    try:
        run_job(job_id)
    finally:
        connection.close()


def run_job(job_id: int) -> None:
    """Import the stored file of ``job_id`` and record the outcome on the job."""
    job = ImportJob.objects.select_related("partnership", "created_by").get(pk=job_id)
    ImportJob.objects.filter(pk=job_id).update(
        status=ImportStatus.RUNNING, heartbeat_at=timezone.now()
    )
    cache.set(progress_key(job_id), (0, 0.0), PROGRESS_TTL_S)

    def progress(rows: int, fraction: float | None) -> None:
        cache.set(progress_key(job_id), (rows, fraction or 0.0), PROGRESS_TTL_S)

    status, errors, message, rows, written = ImportStatus.DONE, [], "", 0, 0
    try:
        with default_storage.open(job.stored_path, "rb") as stream:
            result = expenses_import(
                by=job.created_by, partnership=job.partnership, stream=stream,
                name=job.source_name, job_id=job.pk, progress=progress,
            )  # fmt: skip
        rows, written = result.rows, result.written
        message = gettext("%(n)s dépenses importées.") % {"n": written}
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
        cache.delete(progress_key(job_id))
    keep = settings.SHARAKA_IMPORT_KEEP_DAYS > 0
    ImportJob.objects.filter(pk=job_id).update(
        status=status, errors=errors, message=message, rows=rows, written=written,
        processed_bytes=job.size, finished_at=timezone.now(),
        stored_path=job.stored_path if keep else "",
    )  # fmt: skip
    if not keep:
        _delete_on_commit(job.stored_path)
    import_files_purge()


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
    """(rows read, percent) of a job: live from the cache while it runs."""
    live = cache.get(progress_key(job.pk)) if not job.finished else None
    if live is not None:
        return live[0], min(99, int(live[1] * 100))
    return job.rows, job.percent
