"""``sharaka demo`` publishes its passwords and authenticator keys, so it only loads them into
a database it created (issue 21): real data is refused unless ``--force``, and ``--reset``
says what it deletes and asks, or needs ``--force`` when nobody can answer."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from sharaka import cli, demo
from sharaka.core.models import DemoMarker
from sharaka.partnerships.models import Partnership
from tests.factories import UserFactory


def _sharaka(*args: str, env: dict[str, str], stdin: str | None = None) -> Any:
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "sharaka", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**env, "LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "C.UTF-8"},  # French
        input=stdin,
    )


def _sqlite_env(var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    return env | {"SHARAKA_VAR_DIR": str(var_dir)}


@pytest.fixture(scope="module")
def real_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrated once per module: a SQLite database where a real administrator exists."""
    var_dir = tmp_path_factory.mktemp("real")
    env = _sqlite_env(var_dir) | {"DJANGO_SUPERUSER_PASSWORD": "un-vrai-secret-42"}
    assert _sharaka("manage", "migrate", "-v0", env=env).returncode == 0
    made = _sharaka(
        "manage", "createsuperuser", "--noinput", "--username", "admin",
        "--email", "dsi@commune.example", env=env,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    return var_dir / "sharaka.sqlite3"


@pytest.fixture
def real_sqlite(real_template: Path, tmp_path: Path) -> tuple[dict[str, str], Path]:
    path = tmp_path / "sharaka.sqlite3"
    shutil.copyfile(real_template, path)
    return _sqlite_env(tmp_path), path


def _rows(path: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(path) as db:
        return db.execute(sql).fetchall()


def test_demo_refuses_a_database_it_did_not_create(real_sqlite: tuple[dict[str, str], Path]):
    env, path = real_sqlite
    password_before = _rows(path, "select password from accounts_user")
    for args in (("demo", "--no-serve"), ("demo", "--no-serve", "--reset")):
        result = _sharaka(*args, env=env, stdin="oui\n")
        assert result.returncode == 2, result
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "la démo n'a pas créées" in lines[0] and "--force" in lines[0]
        assert "(1 compte, 0 partenariat)" in lines[0]  # "admin": a demo name, not the demo's
    # nothing was loaded, nothing was deleted, the administrator is untouched
    assert _rows(path, "select count(*) from partnerships_partnership") == [(0,)]
    assert _rows(path, "select password from accounts_user") == password_before
    assert _rows(path, "select count(*) from otp_totp_totpdevice") == [(0,)]


def test_forced_demo_never_gives_an_existing_account_the_published_key(
    real_sqlite: tuple[dict[str, str], Path],
) -> None:
    env, path = real_sqlite
    password_before = _rows(path, "select password from accounts_user where username='admin'")
    result = _sharaka("demo", "--no-serve", "--force", env=env)
    assert result.returncode == 0, result.stderr
    assert _rows(path, "select count(*) from partnerships_partnership") == [(3,)]
    assert _rows(
        path,
        "select count(*) from otp_totp_totpdevice d join accounts_user u on u.id = d.user_id "
        "where u.username = 'admin'",
    ) == [(0,)]
    assert (
        _rows(path, "select password from accounts_user where username='admin'") == password_before
    )
    # still not the demo's: the next run refuses again
    assert _rows(path, "select count(*) from core_demomarker") == [(0,)]
    assert _sharaka("demo", "--no-serve", env=env).returncode == 2


def test_demo_marks_its_own_database_and_reset_needs_a_yes(tmp_path: Path) -> None:
    env = _sqlite_env(tmp_path)
    path = tmp_path / "sharaka.sqlite3"
    assert _sharaka("demo", "--no-serve", env=env).returncode == 0
    assert _rows(path, "select count(*) from core_demomarker") == [(1,)]
    # no terminal to ask on, no --force: refused, nothing deleted
    result = _sharaka("demo", "--no-serve", "--reset", env=env)
    assert result.returncode == 2
    assert "--reset supprimerait SQLite" in result.stderr and "3 partenariats" in result.stderr
    assert _rows(path, "select count(*) from partnerships_partnership") == [(3,)]


# --- In process: the question on a terminal --------------------------------------------------


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A terminal that answers what the test puts in the list; resets are not carried out."""
    answers: list[str] = []
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr("builtins.input", lambda prompt="": answers.pop(0))
    monkeypatch.setattr(demo, "reset_database", lambda: None)
    return answers


@pytest.mark.django_db
def test_reset_on_a_terminal_asks_and_a_no_keeps_everything(
    terminal: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    demo.load_demo()
    UserFactory(username="admin.demo")  # would make it foreign...
    demo.mark_as_demo()  # ...but the database carries the demo's mark
    terminal[:] = ["non"]
    assert cli._demo(8000, serve=False, reset=True) == 2
    out, err = capsys.readouterr()
    assert "supprimera toutes les données" in out and "3 partenariats" in out
    assert "rien n'a été supprimé" in err
    assert terminal == []  # asked once
    terminal[:] = ["oui"]
    assert cli._demo(8000, serve=False, reset=True) == 0
    assert DemoMarker.objects.count() == 1


@pytest.mark.django_db
def test_inventory_tells_empty_demo_and_foreign_apart() -> None:
    assert demo.inventory().ownership is demo.Ownership.EMPTY
    demo.load_demo()
    assert demo.inventory().ownership is demo.Ownership.DEMO  # only the demo's own names
    UserFactory(username="dsi.commune")
    found = demo.inventory()
    assert (found.ownership, found.foreign_users) == (demo.Ownership.FOREIGN, 1)
    demo.mark_as_demo()
    assert demo.inventory().ownership is demo.Ownership.DEMO
    assert Partnership.objects.count() == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL database of its own")
def test_postgresql_reset_refused_without_a_word_no_more() -> None:
    """Pointed at a PostgreSQL database with real data, ``--reset`` no longer flushes it."""
    import psycopg

    settings = connection.settings_dict
    name = f"sharaka_guard_{uuid.uuid4().hex[:8]}"
    dsn = {"host": settings["HOST"], "port": settings["PORT"] or 5432, "user": settings["USER"]}
    with psycopg.connect(dbname="postgres", autocommit=True, **dsn) as admin:
        admin.execute(f'create database "{name}"')
    try:
        url = f"postgres://{settings['USER']}@{settings['HOST']}:{dsn['port']}/{name}"
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_SUPERUSER_PASSWORD": "vrai-42-x"}
        assert _sharaka("manage", "migrate", "-v0", env=env).returncode == 0
        made = _sharaka(
            "manage", "createsuperuser", "--noinput", "--username", "dsi",
            "--email", "dsi@commune.example", env=env,
        )  # fmt: skip
        assert made.returncode == 0, made.stderr
        result = _sharaka("demo", "--no-serve", "--reset", env=env)
        assert result.returncode == 2 and "la démo n'a pas créées" in result.stderr
        with psycopg.connect(dbname=name, **dsn) as db:
            assert db.execute("select username from accounts_user").fetchall() == [("dsi",)]
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **dsn) as admin:
            admin.execute(f'drop database if exists "{name}" with (force)')
