"""Request ids and JSON log lines (sharaka/ops/logs.py)."""

from __future__ import annotations

import io
import json
import logging
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from sharaka.ops import logs


@given(st.text(max_size=300))
def test_any_incoming_id_becomes_a_sane_one(incoming: str) -> None:
    request_id = logs.accept_or_make(incoming)
    assert logs.SANE_ID.fullmatch(request_id)
    assert request_id == incoming or len(request_id) == 32


@pytest.mark.parametrize("incoming", ["abc-123", "5f0c9a1e-2b7d-4c1f-9e3a-8d6b2f1a0c7e",
                                      "Root=1-67891233-abcdef012345678912345678"])  # fmt: skip
def test_a_sane_incoming_id_is_kept(incoming: str) -> None:
    assert logs.accept_or_make(incoming) == incoming


@pytest.mark.parametrize(
    "incoming", [None, "", "two words", "line\nbreak", "x" * 129, "-leading", "é", 'a"b']
)
def test_anything_else_gets_a_new_id(incoming: str | None) -> None:
    made = logs.accept_or_make(incoming)
    assert made != incoming and len(made) == 32 and int(made, 16) >= 0


@pytest.fixture
def json_lines() -> Iterator[io.StringIO]:
    """What the production handler writes (filter + JSON formatter), for django.request."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(logs.RequestIdFilter())
    handler.setFormatter(logs.JsonFormatter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)


def _lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


@pytest.mark.django_db
def test_the_request_id_is_in_the_header_and_in_the_json_log_line(
    client: Client, json_lines: io.StringIO
) -> None:
    response = client.get("/nulle-part/", HTTP_X_REQUEST_ID="probe-42")
    assert response.status_code == 404
    assert response["X-Request-ID"] == "probe-42"
    (line,) = _lines(json_lines)
    # Django writes "Not Found" after the middleware chain returned: the id is still there
    assert line["request_id"] == "probe-42"
    assert line["level"] == "WARNING" and line["logger"] == "django.request"
    assert line["message"] == "Not Found: /nulle-part/"
    assert line["status_code"] == 404 and line["method"] == "GET"
    assert line["path"] == "/nulle-part/"
    assert line["time"].endswith("+00:00")
    assert logs.current_request_id() is None  # forgotten once the response is finished


@pytest.mark.django_db
def test_a_request_without_id_gets_one_made(client: Client, json_lines: io.StringIO) -> None:
    response = client.get("/nulle-part/", HTTP_X_REQUEST_ID="bad id\r\nX-Injected: 1")
    made = response["X-Request-ID"]
    assert len(made) == 32 and "Injected" not in made
    assert _lines(json_lines)[0]["request_id"] == made
    assert client.get("/healthz")["X-Request-ID"] != made  # one per request


def test_a_line_outside_a_request_has_a_dash_and_an_exception_is_kept() -> None:
    formatter = logs.JsonFormatter()
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord("sharaka", logging.ERROR, __file__, 1, "failed %s", ("x",),
                                   sys.exc_info())  # fmt: skip
    record.imported_rows = 12  # an ``extra=`` field
    logs.RequestIdFilter().filter(record)
    line = json.loads(formatter.format(record))
    assert line["request_id"] == "-" and line["message"] == "failed x"
    assert line["imported_rows"] == 12
    assert "ValueError: boom" in line["exception"]


def test_a_gunicorn_access_line_becomes_fields() -> None:
    atoms = {"h": "127.0.0.1", "m": "GET", "U": "/partenariats/", "s": "200", "B": "3020",
             "D": "12500", "a": "curl/8", "{x-request-id}o": "rid-1"}  # fmt: skip
    record = logging.LogRecord("gunicorn.access", logging.INFO, __file__, 1, "%(h)s %(m)s",
                               (atoms,), None)  # fmt: skip
    line = json.loads(logs.JsonFormatter().format(record))
    assert line["message"] == "127.0.0.1 GET"
    assert (line["method"], line["path"], line["status"], line["bytes"]) == (
        "GET", "/partenariats/", 200, 3020,
    )  # fmt: skip
    assert line["duration_ms"] == 12.5 and line["request_id"] == "rid-1"
