"""The daily housekeeping of the database queue's table (``core.task_results_prune``)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from sharaka.core import scheduler, worker

DB_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _result(status: str, *, started: datetime | None, finished: datetime | None) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=status, args_kwargs={"args": [], "kwargs": {}}, task_path="x.y",
        backend_name="default", run_after=timezone.now(), started_at=started,
        finished_at=finished, exception_class_path="", traceback="",
    )  # fmt: skip


@pytest.mark.django_db
def test_old_finished_rows_go_and_a_lost_running_task_is_marked_failed(settings: Any) -> None:
    settings.TASKS = DB_BACKEND
    settings.SHARAKA_TASK_RESULTS_KEEP_DAYS = 14
    now = timezone.now()
    old_done = _result(TaskResultStatus.SUCCESSFUL, started=now - timedelta(days=20),
                       finished=now - timedelta(days=15))  # fmt: skip
    old_failed = _result(TaskResultStatus.FAILED, started=now - timedelta(days=20),
                         finished=now - timedelta(days=15))  # fmt: skip
    recent = _result(TaskResultStatus.SUCCESSFUL, started=now - timedelta(days=3),
                     finished=now - timedelta(days=3))  # fmt: skip
    lost = _result(TaskResultStatus.RUNNING, started=now - timedelta(days=2), finished=None)
    running = _result(TaskResultStatus.RUNNING, started=now - timedelta(hours=1), finished=None)
    waiting = _result(TaskResultStatus.READY, started=None, finished=None)

    assert worker.task_results_prune(now=now) == (2, 1)

    left = {row.pk: row for row in DBTaskResult.objects.all()}
    assert set(left) == {recent.pk, lost.pk, running.pk, waiting.pk}
    assert old_done.pk not in left and old_failed.pk not in left
    assert left[lost.pk].status == TaskResultStatus.FAILED
    assert "worker is gone" in left[lost.pk].traceback
    assert left[running.pk].status == TaskResultStatus.RUNNING
    # the row marked failed today is kept its 14 days like any other
    assert worker.task_results_prune(now=now) == (0, 0)


@pytest.mark.django_db
def test_nothing_is_touched_on_a_backend_without_that_table(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    now = timezone.now()
    _result(TaskResultStatus.SUCCESSFUL, started=now - timedelta(days=90),
            finished=now - timedelta(days=90))  # fmt: skip
    assert worker.task_results_prune(now=now) == (0, 0)
    assert DBTaskResult.objects.count() == 1


def test_the_prune_is_a_daily_periodic_job() -> None:
    job = {j.name: j for j in scheduler.jobs()}["core.task_results_prune"]
    assert job.period == timedelta(days=1)
