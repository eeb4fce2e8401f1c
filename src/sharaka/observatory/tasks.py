"""The observatory's background task (django-tasks, ADR 0016 and 0037)."""

from __future__ import annotations

from django_tasks import task

from sharaka.observatory.refresh import snapshot_refresh


@task()
def refresh() -> int:
    """Rebuild the snapshot; returns the number of partnerships scored."""
    return snapshot_refresh().partnerships
