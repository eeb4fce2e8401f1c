"""``sharaka serve``: its options, and its refusals before anything starts (ops/serve.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sharaka import cli
from sharaka.ops import keys, serve

GOOD_KEY = "k" * 40 + "abcdefghij0123456789"


def test_the_defaults() -> None:
    options = serve.options_from(cli._build_parser().parse_args(["serve"]))
    assert options == serve.ServeOptions(
        bind="127.0.0.1", port=8000, workers=2, threads=4, timeout=60, access_log="-",
        collectstatic=True,
    )  # fmt: skip


def test_every_option() -> None:
    args = cli._build_parser().parse_args(
        ["serve", "--bind", "192.0.2.10", "--port", "9000", "--workers", "3", "--threads", "1",
         "--timeout", "120", "--access-log", "/var/log/sharaka/access.log",
         "--no-collectstatic"]
    )  # fmt: skip
    assert serve.options_from(args) == serve.ServeOptions(
        bind="192.0.2.10", port=9000, workers=3, threads=1, timeout=120,
        access_log="/var/log/sharaka/access.log", collectstatic=False,
    )  # fmt: skip


def test_gunicorn_gets_what_the_options_say() -> None:
    config = serve.gunicorn_settings(serve.ServeOptions(port=9000, threads=4, timeout=20))
    assert config["bind"] == ["127.0.0.1:9000"]
    assert (config["workers"], config["threads"], config["worker_class"]) == (2, 4, "gthread")
    assert (config["timeout"], config["graceful_timeout"]) == (20, 20)
    assert config["accesslog"] == "-" and "rid=%({x-request-id}o)s" in config["access_log_format"]
    assert config["logger_class"] is serve.GunicornLogger
    single = serve.gunicorn_settings(serve.ServeOptions(bind="::1", threads=1))
    assert single["bind"] == ["[::1]:8000"] and single["worker_class"] == "sync"
    assert single["graceful_timeout"] == serve.GRACEFUL_TIMEOUT


@pytest.mark.parametrize("key", [None, "", "   "])
def test_a_missing_key_is_refused(key: str | None) -> None:
    problem = keys.secret_key_problem(key)
    assert problem is not None and problem.startswith("SECRET_KEY is not set")


@pytest.mark.parametrize(
    "key", ["django-insecure-" + "x1y2z3" * 10, "change-me", "a" * 80, "ab" * 30]
)
def test_a_development_or_weak_key_is_refused(key: str) -> None:
    problem = keys.secret_key_problem(key)
    assert problem is not None and "\n" not in problem


@given(st.text(min_size=keys.MIN_LENGTH, max_size=200))
def test_a_long_varied_key_is_accepted(key: str) -> None:
    varied = len(set(key)) >= keys.MIN_UNIQUE and key.strip() != ""
    expected_ok = varied and not key.startswith(keys.INSECURE_PREFIX)
    assert (keys.secret_key_problem(key) is None) == expected_ok


@given(st.text(max_size=keys.MIN_LENGTH - 1))
def test_a_short_key_is_always_refused(key: str) -> None:
    assert keys.secret_key_problem(key) is not None


def test_debug_on_is_refused() -> None:
    assert serve.environment_problem({"DEBUG": "1", "SECRET_KEY": GOOD_KEY}) is not None
    assert serve.environment_problem({"DEBUG": "0", "SECRET_KEY": GOOD_KEY}) is None


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "sharaka", *args], capture_output=True, text=True, timeout=120,
        check=False, env=env,
    )  # fmt: skip


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL", "SHARAKA_PRODUCTION"}}  # fmt: skip
    env["SHARAKA_VAR_DIR"] = str(tmp_path / "var")
    env.update(extra)
    return env


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        ({}, "SECRET_KEY is not set"),
        ({"SECRET_KEY": "django-insecure-" + "x1y2z3" * 10}, "development key"),
        ({"SECRET_KEY": "short"}, "too weak"),
        ({"SECRET_KEY": GOOD_KEY, "DEBUG": "true"}, "DEBUG is on"),
    ],
)
def test_serve_refuses_with_one_line_and_starts_nothing(
    tmp_path: Path, extra: dict[str, str], says: str
) -> None:
    result = _run(["serve", "--port", "8999"], _env(tmp_path, **extra))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and says in result.stderr
    assert result.stderr.startswith("sharaka serve: ") and "Traceback" not in result.stderr
    assert not (tmp_path / "var").exists()  # no key file, no database, no static files


@pytest.mark.parametrize(
    "args",
    [["--port", "0"], ["--port", "70000"], ["--workers", "0"], ["--threads", "x"],
     ["--timeout", "-1"], ["--bogus"]],
)  # fmt: skip
def test_bad_options_exit_2_with_one_line(tmp_path: Path, args: list[str]) -> None:
    result = _run(["serve", *args], _env(tmp_path, SECRET_KEY=GOOD_KEY))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_an_access_log_that_cannot_be_written_is_refused(tmp_path: Path) -> None:
    where = tmp_path / "missing-folder" / "access.log"
    result = _run(["serve", "--access-log", str(where)], _env(tmp_path, SECRET_KEY=GOOD_KEY))
    assert result.returncode == 2 and "--access-log" in result.stderr
    assert result.stderr.count("\n") == 1


def test_no_collectstatic_needs_collected_files(tmp_path: Path) -> None:
    result = _run(["serve", "--no-collectstatic"], _env(tmp_path, SECRET_KEY=GOOD_KEY))
    assert result.returncode == 2 and "collectstatic" in result.stderr
    assert result.stderr.count("\n") == 1


def test_production_settings_refuse_a_missing_key_too(tmp_path: Path) -> None:
    """gunicorn run by hand with SHARAKA_PRODUCTION=1 stops on the same rule."""
    code = "import django; django.setup()"
    env = _env(tmp_path, SHARAKA_PRODUCTION="1", DJANGO_SETTINGS_MODULE="sharaka.config.settings")
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env,
        check=False,
    )  # fmt: skip
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is not set" in result.stderr
    assert not (tmp_path / "var" / "secret_key").exists()


def test_production_settings(tmp_path: Path) -> None:
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "d = s.DATABASES['default']; "
        "print(s.DEBUG, d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'], "
        "s.STORAGES['staticfiles']['BACKEND'], s.WHITENOISE_USE_FINDERS)"
    )
    env: dict[str, Any] = _env(tmp_path, SHARAKA_PRODUCTION="1", SECRET_KEY=GOOD_KEY,
                               DJANGO_SETTINGS_MODULE="sharaka.config.settings")  # fmt: skip
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env,
        check=False,
    )  # fmt: skip
    assert result.stdout.split() == [
        "False", "60", "True", "sharaka.ops.static.StaticStorage", "False",
    ]  # fmt: skip
    env["CONN_MAX_AGE"] = "0"
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env,
        check=False,
    )  # fmt: skip
    assert result.stdout.split()[1] == "0"
