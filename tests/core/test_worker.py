"""``sharaka worker`` and ``sharaka run-scheduled`` (ADR 0016): the worker of the configured
backend, the database by default, RQ when REDIS_URL is set, SHARAKA_TASKS_BACKEND first."""

from __future__ import annotations

import importlib
import io
import os
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import task

from sharaka import cli
from sharaka.config import settings as project_settings
from sharaka.core import scheduler, worker


def _reload_settings(monkeypatch: Any, **env: str) -> Any:
    for name in ("REDIS_URL", "SHARAKA_TASKS_BACKEND"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return importlib.reload(project_settings)


@pytest.mark.parametrize(
    ("env", "backend", "kind"),
    [
        ({}, "django_tasks_db.DatabaseBackend", "database"),
        ({"REDIS_URL": "redis://127.0.0.1:6379/15"}, "django_tasks_rq.RQBackend", "rq"),
        (
            {"REDIS_URL": "redis://127.0.0.1:6379/15",
             "SHARAKA_TASKS_BACKEND": "django_tasks_db.DatabaseBackend"},
            "django_tasks_db.DatabaseBackend", "database",
        ),
    ],
)  # fmt: skip
def test_the_backend_follows_the_environment(
    monkeypatch: Any, env: dict[str, str], backend: str, kind: str
) -> None:
    try:
        loaded = _reload_settings(monkeypatch, **env)
        assert loaded.TASKS["default"]["BACKEND"] == backend
        assert worker.backend_kind(backend) == kind
        assert ("django_rq" in loaded.INSTALLED_APPS) == (backend.endswith("RQBackend"))
        if kind == "rq":
            assert loaded.RQ_QUEUES["default"]["URL"] == env["REDIS_URL"]
    finally:
        monkeypatch.undo()
        importlib.reload(project_settings)


def test_each_backend_runs_its_own_worker() -> None:
    assert worker.worker_command("database", ["default", "mail"]) == (
        "db_worker", ["--queue-name=default,mail", "--no-reload"],
    )  # fmt: skip
    assert worker.worker_command("rq", ["default"]) == (
        "rqworker", ["--job-class=django_tasks_rq.Job", "default"],
    )  # fmt: skip


def test_a_backend_without_a_worker_is_refused_in_one_line(settings: Any) -> None:
    # the tests' immediate backend (conftest) runs tasks at once: there is nothing to run
    err = io.StringIO()
    assert worker.run(queues=["default"], with_scheduler=False, stderr=err) == 2
    assert err.getvalue().count("\n") == 1 and "has no worker" in err.getvalue()


def test_the_cli_dispatches_to_the_worker_module(monkeypatch: Any, settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    called: list[tuple[str, tuple[str, ...]]] = []
    monkeypatch.setattr(worker, "call_command", lambda name, *args: called.append((name, args)))
    assert cli.main(["worker", "--queue", "default", "mail"]) == 0
    assert called == [("db_worker", ("--queue-name=default,mail", "--no-reload"))]


@task()
def _double(n: int) -> int:
    return 2 * n


@pytest.mark.django_db(transaction=True)  # the worker closes old connections, as in production
def test_the_database_worker_runs_a_queued_task(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    result = _double.enqueue(21)
    command, args = worker.worker_command("database", ["default"])
    call_command(command, *args, "--batch", "--no-startup-delay", verbosity=0)
    result.refresh()
    assert result.status == "SUCCESSFUL" and result.return_value == 42


@pytest.mark.django_db
def test_run_scheduled_runs_the_due_jobs_once(monkeypatch: Any) -> None:
    runs: list[str] = []
    monkeypatch.setattr(scheduler, "_jobs", {})
    scheduler.register("t.daily", timedelta(days=1), lambda: runs.append("x"))
    out = io.StringIO()
    assert worker.run_scheduled(stdout=out) == 0 and out.getvalue() == "t.daily\n"
    out = io.StringIO()
    assert worker.run_scheduled(stdout=out) == 0 and out.getvalue() == ""
    assert runs == ["x"]


@pytest.mark.django_db(transaction=True)  # the loop closes old connections too
def test_the_scheduler_loop_stops_when_its_parent_is_gone(monkeypatch: Any) -> None:
    """The child of ``--with-scheduler`` runs the due jobs, and stops once its parent (the
    worker) is no longer its parent, whatever killed it."""
    runs: list[Any] = []
    monkeypatch.setattr(scheduler, "_jobs", {})
    scheduler.register("t.tick", timedelta(seconds=1), lambda: runs.append(timezone.now()))
    parents = iter([os.getppid(), os.getppid(), os.getppid(), 1])
    monkeypatch.setattr(worker.os, "getppid", lambda: next(parents, 1))
    worker.scheduler_loop(parent=os.getppid(), tick=0.01)
    assert len(runs) == 1
