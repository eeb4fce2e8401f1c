"""Periodic jobs: a small registry, run by ``sharaka run-scheduled`` (once, for a cron line)
or by ``sharaka worker --with-scheduler`` (every ``SHARAKA_SCHEDULER_TICK_SECONDS``), ADR 0016.

A job is a name, a period and a function that does little: it enqueues a task, or does a
short piece of housekeeping. Each app registers its jobs in its ``AppConfig.ready``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from sharaka.core.models import ScheduledRun

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    period: timedelta
    run: Callable[[], object]


_jobs: dict[str, PeriodicJob] = {}


def register(name: str, period: timedelta, run: Callable[[], object]) -> None:
    """Add (or replace, by name) a periodic job."""
    if period <= timedelta(0):
        raise ValueError("a periodic job needs a positive period")
    _jobs[name] = PeriodicJob(name, period, run)


def jobs() -> list[PeriodicJob]:
    return sorted(_jobs.values(), key=lambda job: job.name)


def _claim(job: PeriodicJob, now: datetime) -> bool:
    """Move the job's last run to ``now`` if it is due; True when this caller won it."""
    try:
        with transaction.atomic():
            ScheduledRun.objects.get_or_create(name=job.name)
    except IntegrityError:  # another scheduler created the row at the same moment
        pass
    due = Q(last_run_at__isnull=True) | Q(last_run_at__lte=now - job.period)
    return ScheduledRun.objects.filter(due, name=job.name).update(last_run_at=now) == 1


def run_due(*, now: datetime | None = None) -> list[str]:
    """Run every registered job that is due; returns the names of those this call ran.

    A job that raises is logged and counted as run for this period (it is not retried
    until the next one: the jobs are idempotent housekeeping)."""
    now = now or timezone.now()
    ran: list[str] = []
    for job in jobs():
        if not _claim(job, now):
            continue
        ran.append(job.name)
        try:
            job.run()
        except Exception:
            logger.exception("Periodic job %s failed", job.name)
    return ran
