"""What the benchmarks share: each runs its measurement in a child process with a throw-away
database (a temporary SQLite file, or a fresh PostgreSQL database dropped afterwards), so a
run never touches the developer's data and the two backends are measured alike."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/test"


def rss_mb() -> float:
    """Peak resident memory of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def best(fn: Callable[[], Any], times: int = 3) -> float:
    """The fastest of ``times`` runs of ``fn``, in seconds."""
    seconds = []
    for _ in range(times):
        start = time.perf_counter()
        fn()
        seconds.append(time.perf_counter() - start)
    return min(seconds)


def backends(choice: str) -> list[str]:
    return ["sqlite", "postgresql"] if choice == "both" else [choice]


def run_child(
    script: str, name: str, args: list[str], backend: str, url: str
) -> dict[str, Any] | None:
    """Run ``script --child ARGS`` on a throw-away database of ``backend`` and return the
    JSON object its last line prints; None (with the reason on stderr) if it failed."""
    env = dict(os.environ)
    with tempfile.TemporaryDirectory(prefix=f"{name}-") as var:
        env["SHARAKA_VAR_DIR"] = var
        env["PYTHONPATH"] = str(ROOT)
        env.pop("DATABASE_URL", None)
        dbname = f"sharaka_{name}_{os.getpid()}"
        if backend == "postgresql":
            import psycopg

            try:
                admin = psycopg.connect(url, autocommit=True)
            except psycopg.OperationalError as error:
                print(f"postgresql: skipped ({error})".strip(), file=sys.stderr)
                return None
            admin.execute(f'CREATE DATABASE "{dbname}"')
            env["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + dbname
        try:
            done = subprocess.run(
                [sys.executable, script, "--child", *args],
                env=env, capture_output=True, text=True, check=False,
            )  # fmt: skip
        finally:
            if backend == "postgresql":
                admin.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
                admin.close()
    if done.returncode != 0:
        print(done.stderr[-3000:], file=sys.stderr)
        return None
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result
