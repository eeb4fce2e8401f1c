"""The observatory's demo data: the snapshot of what the other parts of the demo loaded."""

from __future__ import annotations

from sharaka.observatory.refresh import snapshot_refresh
from sharaka.partnerships.demo import DemoContext


def load(context: DemoContext) -> None:
    snapshot_refresh()
