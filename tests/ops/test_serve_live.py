"""``sharaka serve`` for real: a gunicorn on a free port, on a temporary SQLite database.

It starts on a database without tables (``/readyz`` says the migrations are pending), is
migrated while it runs (ready), serves a hashed static file with a far-future
Cache-Control, then stops cleanly on SIGTERM. About a minute on the shared machine
(collectstatic and migrate dominate)."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

GOOD_KEY = "live-test-" + "0123456789abcdefghij" * 3
STARTUP_S = 240


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - loopback
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _wait_for(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"sharaka serve stopped ({server.returncode}):\n{log.read_text()}")
        try:
            if _get(url)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    pytest.fail(f"sharaka serve did not answer in {STARTUP_S} s:\n{log.read_text()}")


def _json(body: bytes) -> Any:
    return json.loads(body)


def test_serve_starts_answers_probes_and_static_files_then_stops(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "DEBUG", "REDIS_URL", "SHARAKA_PRODUCTION",
                        "DJANGO_SETTINGS_MODULE"}}  # fmt: skip
    env.update(SECRET_KEY=GOOD_KEY, SHARAKA_VAR_DIR=str(tmp_path / "var"))
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    out, err = tmp_path / "access.log", tmp_path / "stderr.log"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        server = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "sharaka", "serve", "--port", str(port), "--workers", "1",
             "--threads", "2"],
            stdout=stdout, stderr=stderr, env=env,
        )  # fmt: skip
    try:
        _wait_for(f"{base}/healthz", server, err)
        status, headers, body = _get(f"{base}/healthz", {"X-Request-ID": "live-1"})
        assert (status, _json(body)) == (200, {"status": "ok"})
        assert headers["X-Request-ID"] == "live-1" and "Set-Cookie" not in headers

        status, _, body = _get(f"{base}/readyz")
        assert status == 503
        assert _json(body)["checks"] == {"database": "ok", "migrations": "pending"}

        migrate = subprocess.run(
            [sys.executable, "-m", "sharaka", "manage", "migrate", "-v0"],
            env=env, capture_output=True, text=True, timeout=600, check=False,
        )  # fmt: skip
        assert migrate.returncode == 0, migrate.stderr
        status, _, body = _get(f"{base}/readyz")
        assert (status, _json(body)["status"]) == (200, "ready")

        status, headers, page = _get(f"{base}/comptes/connexion/")
        assert status == 200
        match = re.search(rb"/static/sharaka/sharaka\.[0-9a-f]{12}\.css", page)
        assert match, "the page links the hashed stylesheet"
        status, headers, css = _get(f"{base}{match.group().decode()}")
        assert status == 200 and len(css) > 0
        assert "max-age=315360000" in headers["Cache-Control"]
        assert "immutable" in headers["Cache-Control"]
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    assert server.returncode == 0, err.read_text()
    assert '"GET /healthz HTTP/1.1" 200' in out.read_text()
    assert "rid=live-1" in out.read_text()  # the access log carries the request id
    assert (tmp_path / "var" / "static" / "staticfiles.json").is_file()
