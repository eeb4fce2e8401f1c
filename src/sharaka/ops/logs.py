"""Structured logs: a request id on every log line of a request, and a JSON formatter.

``RequestIdMiddleware`` (first in ``MIDDLEWARE``) takes a sane ``X-Request-ID`` from the
client or proxy, else makes one, returns it in the response header and keeps it in a
context variable until the response is finished, so that Django's own "Not Found" or
"Internal Server Error" lines, written after the middleware chain returned, carry it too.
``RequestIdFilter`` puts it on every record; ``JsonFormatter`` writes one JSON object a line
(``SHARAKA_LOG_FORMAT=json``)."""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
META_KEY = "HTTP_X_REQUEST_ID"
#: what an incoming id may look like: a uuid, a proxy's hex id, a trace id ... nothing that
#: could forge a log line or a header (no spaces, quotes, control characters)
SANE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:=+/-]{0,127}")
#: shown on a log line written outside any request
NO_REQUEST = "-"

_current: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)


def current_request_id() -> str | None:
    return _current.get()


def accept_or_make(incoming: str | None) -> str:
    """The incoming id when it is sane, else a new random one."""
    if incoming is not None and SANE_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


def _forget(**_kwargs: object) -> None:
    _current.set(None)


# the response is finished (sent and closed): later lines of this thread belong to no request
request_finished.connect(_forget, dispatch_uid="sharaka.ops.logs.forget_request_id")


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = accept_or_make(request.META.get(META_KEY))
        _current.set(request_id)
        response = self.get_response(request)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record (``-`` outside a request); never drops one."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = _current.get() or NO_REQUEST
        return True


#: attributes every LogRecord has; anything else on a record came from ``extra=``
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "request_id",
}


def _plain(value: object) -> Any:
    """A JSON-friendly form of an ``extra`` value (an object becomes its ``str``)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message, request_id, and
    the exception, the status code and the request's method and path when there are some.
    gunicorn's access lines become fields (method, path, status, duration ...)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or _current.get() or NO_REQUEST,
        }
        if record.name == "gunicorn.access" and isinstance(record.args, Mapping):
            entry.update(_access_fields(record.args))
        for key, value in vars(record).items():
            if key in _STANDARD or key.startswith("_"):
                continue
            if key == "request" and isinstance(value, HttpRequest):
                entry["method"] = value.method
                entry["path"] = value.path
            else:
                entry[key] = _plain(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False)


def _access_fields(atoms: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of a gunicorn access line (its "atoms", glogging.Logger.atoms)."""
    fields = {
        "remote_addr": atoms.get("h"),
        "method": atoms.get("m"),
        "path": atoms.get("U"),
        "status": _int(atoms.get("s")),
        "bytes": _int(atoms.get("B")),
        "duration_ms": round((_int(atoms.get("D")) or 0) / 1000, 3),
        "user_agent": atoms.get("a"),
    }
    request_id = atoms.get("{x-request-id}o")
    if request_id and request_id != "-":
        fields["request_id"] = request_id
    return fields


def _int(value: object) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None
