"""The periodic jobs (ADR 0016): a job runs once per period, whoever asks and however many
schedulers ask at the same moment; its last run is in the database."""

from __future__ import annotations

import itertools
import threading
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from sharaka.core import scheduler
from sharaka.core.models import ScheduledRun
from tests.race import postgresql_only, race


@pytest.fixture
def registry(monkeypatch: Any) -> dict[str, scheduler.PeriodicJob]:
    """An empty registry for the test (the apps' own jobs set aside)."""
    jobs: dict[str, scheduler.PeriodicJob] = {}
    monkeypatch.setattr(scheduler, "_jobs", jobs)
    return jobs


@pytest.mark.django_db
def test_a_job_runs_once_per_period(registry: Any) -> None:
    runs: list[int] = []
    scheduler.register("t.every_hour", timedelta(hours=1), lambda: runs.append(1))
    now = timezone.now()
    assert scheduler.run_due(now=now) == ["t.every_hour"]
    assert scheduler.run_due(now=now + timedelta(minutes=59)) == []
    assert scheduler.run_due(now=now + timedelta(hours=1)) == ["t.every_hour"]
    assert len(runs) == 2
    assert ScheduledRun.objects.get(name="t.every_hour").last_run_at == now + timedelta(hours=1)


@pytest.mark.django_db
def test_a_failing_job_is_logged_and_does_not_stop_the_others(registry: Any) -> None:
    runs: list[str] = []

    def boom() -> None:
        raise RuntimeError("boom")

    scheduler.register("a.boom", timedelta(minutes=1), boom)
    scheduler.register("b.fine", timedelta(minutes=1), lambda: runs.append("b"))
    assert scheduler.run_due() == ["a.boom", "b.fine"] and runs == ["b"]


def test_a_period_must_be_positive(registry: Any) -> None:
    with pytest.raises(ValueError, match="positive"):
        scheduler.register("bad", timedelta(0), lambda: None)


@pytest.mark.django_db
@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=600), min_size=1, max_size=12))
def test_runs_are_at_least_one_period_apart(offsets: list[int]) -> None:
    """Whatever the times schedulers look (in any order), two runs of one job are at least
    a period apart, and a look a full period after the last run runs it."""
    ScheduledRun.objects.filter(name="t.prop").delete()
    job = scheduler.PeriodicJob("t.prop", timedelta(seconds=60), lambda: None)
    start = timezone.now()
    looks = [start + timedelta(seconds=s) for s in sorted(offsets)]
    ran = [at for at in looks if scheduler._claim(job, at)]
    assert ran and ran[0] == looks[0]  # the first look always runs it
    assert all(b - a >= job.period for a, b in itertools.pairwise(ran))
    # and no look a full period after the last run was left without a run
    assert all(at - ran[-1] < job.period for at in looks if at > ran[-1])


@pytest.mark.django_db(transaction=True)
@postgresql_only
def test_concurrent_schedulers_run_a_job_once(registry: Any) -> None:
    """Four schedulers at the same moment, on a job never run (the row is created by one of
    them) and then on a due one: each time exactly one runs it."""
    lock = threading.Lock()
    runs: list[int] = []

    def job() -> None:
        with lock:
            runs.append(1)

    scheduler.register("t.race", timedelta(hours=1), job)
    now = timezone.now()
    outcomes = race(*[lambda: scheduler.run_due(now=now) for _ in range(4)])
    assert outcomes == ["ok"] * 4 and len(runs) == 1
    later = now + timedelta(hours=1)
    outcomes = race(*[lambda: scheduler.run_due(now=later) for _ in range(4)])
    assert outcomes == ["ok"] * 4 and len(runs) == 2
    assert ScheduledRun.objects.filter(name="t.race").count() == 1
