"""``sharaka worker`` and ``sharaka run-scheduled`` (ADR 0016).

The worker is the one of the configured django-tasks backend: ``db_worker`` of
django-tasks-db (the default: the embedded trial needs nothing more) or ``rqworker`` of
django-rq when the backend is RQ (``REDIS_URL``). ``--with-scheduler`` adds a child process
that runs the due periodic jobs (``core.scheduler``) every
``SHARAKA_SCHEDULER_TICK_SECONDS`` and stops with
its parent, whatever killed it.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import IO

from django.conf import settings
from django.core.management import call_command
from django.db import close_old_connections, connections
from django.utils import timezone

from sharaka.core import scheduler

logger = logging.getLogger(__name__)

DATABASE = "database"
RQ = "rq"


def backend_kind(path: str | None = None) -> str | None:
    """``"database"``, ``"rq"``, or None for a backend without a worker (immediate, dummy)."""
    path = path or str(settings.TASKS["default"]["BACKEND"])
    if path.startswith("django_tasks_db."):
        return DATABASE
    if path.startswith("django_tasks_rq."):
        return RQ
    return None


#: a task of the database queue still "running" this long after it started has lost its worker
#: (Sharaka's tasks take seconds to minutes; a worker killed mid-task leaves its row running)
LOST_AFTER = timedelta(days=1)


def task_results_prune(*, now: datetime | None = None) -> tuple[int, int]:
    """Daily housekeeping of the database queue's table (ADR 0016): delete finished results
    older than ``SHARAKA_TASK_RESULTS_KEEP_DAYS`` and mark failed, with the reason, a result
    still running a day after it started. Returns (deleted, marked failed); does nothing on
    another backend. What the user sees (an import's state) is kept on its own row, not here.
    """
    if backend_kind() != DATABASE:
        return 0, 0
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    lost = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lte=now - LOST_AFTER
    ).update(
        status=TaskResultStatus.FAILED, finished_at=now,
        exception_class_path="sharaka.core.worker.WorkerLost",
        traceback=f"still running {LOST_AFTER} after it started: its worker is gone",
    )  # fmt: skip
    keep = timedelta(days=settings.SHARAKA_TASK_RESULTS_KEEP_DAYS)
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lte=now - keep).delete()
    if deleted or lost:
        logger.info("task results: %d deleted, %d marked failed (worker lost)", deleted, lost)
    return deleted, lost


def worker_command(kind: str, queues: Sequence[str]) -> tuple[str, list[str]]:
    """The management command (and its arguments) that runs the worker of ``kind``."""
    if kind == DATABASE:
        return "db_worker", [f"--queue-name={','.join(queues)}", "--no-reload"]
    return "rqworker", ["--job-class=django_tasks_rq.Job", *queues]


def run(*, queues: Sequence[str], with_scheduler: bool, stderr: IO[str]) -> int:
    backend = str(settings.TASKS["default"]["BACKEND"])
    kind = backend_kind(backend)
    if kind is None:
        print(f"sharaka worker: the tasks backend {backend} has no worker", file=stderr)
        return 2
    command, args = worker_command(kind, queues or ["default"])
    if with_scheduler:
        connections.close_all()  # the child must not share the parent's connections
        child = multiprocessing.Process(
            target=scheduler_loop, args=(os.getpid(),), name="sharaka-scheduler", daemon=True
        )
        child.start()
    print(f"sharaka worker: {kind} backend, queues {', '.join(queues or ['default'])}"
          + (", with the scheduler" if with_scheduler else ""), file=stderr)  # fmt: skip
    call_command(command, *args)
    return 0


def scheduler_loop(parent: int, tick: float | None = None) -> None:
    """Run the due periodic jobs every ``tick`` seconds while ``parent`` lives."""
    tick = float(settings.SHARAKA_SCHEDULER_TICK_SECONDS) if tick is None else tick
    while os.getppid() == parent:
        close_old_connections()
        try:
            ran = scheduler.run_due()
            if ran:
                logger.info("Periodic jobs run: %s", ", ".join(ran))
        except Exception:  # a database restart must not stop the scheduler
            logger.exception("Scheduler tick failed")
        deadline = time.monotonic() + tick
        while time.monotonic() < deadline and os.getppid() == parent:
            time.sleep(min(1.0, tick))


def run_scheduled(*, stdout: IO[str]) -> int:
    """Run the due periodic jobs once (for a cron line); prints one line per job run."""
    for name in scheduler.run_due():
        print(name, file=stdout)
    return 0
