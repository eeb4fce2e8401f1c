"""A read replica for the public pages (issue 18, docs/deploy.md "Several machines").

When ``DATABASE_REPLICA_URL`` is set, settings add a ``replica`` database, this router and
this middleware. The reads of a **public view** — one whose URL name starts with
``public_`` (the portal: ``partnerships:public_list``, ``public_detail``,
``meetings:public_minutes``, ``public_minutes_detail``) or that sits in an ``opendata``
namespace — go to the replica; every write, every other view, the background tasks and the
command line use the primary (``default``). Accounts, sessions and the sign-in throttle are
always read on the primary, so a visitor who has just signed in is never seen signed out
because the replica lags a second behind.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any

import dj_database_url
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
#: Apps whose tables are always read on the primary: who is signed in must never lag.
PRIMARY_ONLY_APPS = frozenset(
    {"auth", "accounts", "sessions", "axes", "django_otp", "otp_totp", "django_tasks_db"}
)
PUBLIC_NAMESPACES = frozenset({"opendata"})

_public_read: ContextVar[bool] = ContextVar("sharaka_public_read", default=False)


def database(url: str, *, conn_max_age: int | None) -> dj_database_url.DBConfig:
    """The ``replica`` entry of ``DATABASES``; tests mirror the primary (one test database)."""
    config = dj_database_url.parse(url, conn_max_age=conn_max_age or 0)
    config["TEST"] = {"MIRROR": "default"}
    return config


def is_public_view(url_name: str | None, namespaces: list[str]) -> bool:
    return bool(url_name and url_name.startswith("public_")) or bool(
        PUBLIC_NAMESPACES.intersection(namespaces)
    )


@contextlib.contextmanager
def public_reads() -> Iterator[None]:
    """Read from the replica inside the block (for an open-data export outside a view)."""
    token = _public_read.set(True)
    try:
        yield
    finally:
        _public_read.reset(token)


class ReplicaRouter:
    """Public reads to the replica; everything else to the primary."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        if _public_read.get() and model._meta.app_label not in PRIMARY_ONLY_APPS:
            return REPLICA
        return None  # the next router, else "default"

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db != REPLICA  # the replica receives the schema from the primary


class ReplicaMiddleware:
    """Marks the request's reads as public when the resolved view is a public one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _public_read.set(False)
        try:
            return self.get_response(request)
        finally:
            _public_read.reset(token)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        if (
            request.method in {"GET", "HEAD"}
            and match is not None
            and is_public_view(match.url_name, match.namespaces)
        ):
            _public_read.set(True)
        return None
