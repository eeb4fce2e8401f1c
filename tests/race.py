"""Run several writes at the same moment, each in its own thread and database connection.

Row locks only matter on PostgreSQL (SQLite serialises every writer), so the tests that use
this are marked ``postgresql_only`` and run in CI's PostgreSQL pass.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import close_old_connections, connection

from sharaka.core.errors import DomainError

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are a PostgreSQL matter"
)


def race(*writes: Callable[[], Any], timeout: float = 60) -> list[str]:
    """Start every write after one barrier; return each outcome in order: ``"ok"``, the
    ``DomainError`` code, or ``"error: …"`` for anything else (which a test should fail on).
    """
    barrier = threading.Barrier(len(writes))
    outcomes: list[str] = [""] * len(writes)

    def run(index: int, write: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=timeout)
            write()
            outcomes[index] = "ok"
        except DomainError as error:
            outcomes[index] = error.code
        except Exception as error:  # reported to the test, which fails on it
            outcomes[index] = f"error: {type(error).__name__}: {error}"
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(writes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout * 2)
    return outcomes
