"""``/healthz`` and ``/readyz``: small JSON answers for a load balancer, systemd or a
container runtime.

``/healthz``: the process answers (no database). ``/readyz``: the database answers, every
migration is applied, and the Redis server of the cache and task queue answers when
``REDIS_URL`` configures one; 503 when one of them does not.

``HealthMiddleware`` answers them itself, second in ``MIDDLEWARE`` (after the request id):
no session, no CSRF cookie, no sign-in, no axes, no HTTPS redirect and no host check run for
them, so a probe over plain HTTP to the bare address works and never touches the session
table. The answers name what failed, never why (the reason, which may hold host names, goes
to the log)."""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable

import redis
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse

logger = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"
#: seconds a probe waits for Redis
REDIS_TIMEOUT_S = 2.0

OK = "ok"

#: set once this process has seen every migration applied: the code cannot change under a
#: running process, and a migration is never unapplied in production, so later probes pay
#: one query (the database check) instead of loading every migration file again
_migrations_seen_applied = False


def database_check() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.warning("readyz: the database does not answer", exc_info=True)
        _close_quietly()
        return "unreachable"
    return OK


def migrations_check() -> str:
    global _migrations_seen_applied
    if _migrations_seen_applied:
        return OK
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception:
        logger.warning("readyz: the migrations could not be read", exc_info=True)
        _close_quietly()
        return "unknown"
    if pending:
        logger.warning("readyz: %d migration(s) not applied", len(pending))
        return "pending"
    _migrations_seen_applied = True
    return OK


def queue_check(redis_url: str | None) -> str | None:
    """The Redis server of the cache and the task queue, ``None`` when none is configured
    (the task queue is then in the database, which ``database_check`` covers)."""
    if not redis_url:
        return None
    try:
        client = redis.Redis.from_url(
            redis_url, socket_connect_timeout=REDIS_TIMEOUT_S, socket_timeout=REDIS_TIMEOUT_S
        )
        try:
            client.ping()
        finally:
            client.close()
    except Exception:
        logger.warning("readyz: Redis does not answer", exc_info=True)
        return "unreachable"
    return OK


def _close_quietly() -> None:
    """Drop a broken connection so that the next probe (or request) opens a new one."""
    with contextlib.suppress(Exception):  # already reported; closing a dead one may fail
        connection.close()


def readiness() -> tuple[bool, dict[str, str]]:
    checks = {"database": database_check()}
    # the migrations can only be read from a database that answers
    checks["migrations"] = migrations_check() if checks["database"] == OK else "unknown"
    queue = queue_check(os.environ.get("REDIS_URL"))
    if queue is not None:
        checks["queue"] = queue
    return all(value == OK for value in checks.values()), checks


def _answer(body: dict[str, object], status: int) -> HttpResponse:
    response = JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Length"] = str(len(response.content))
    return response


def healthz() -> HttpResponse:
    return _answer({"status": "ok"}, 200)


def readyz() -> HttpResponse:
    ready, checks = readiness()
    return _answer({"status": "ready" if ready else "not ready", "checks": checks},
                   200 if ready else 503)  # fmt: skip


class HealthMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path in (HEALTH_PATH, READY_PATH):
            if request.method not in ("GET", "HEAD"):
                response = _answer({"status": "method not allowed"}, 405)
                response["Allow"] = "GET, HEAD"
                return response
            return healthz() if request.path == HEALTH_PATH else readyz()
        return self.get_response(request)
